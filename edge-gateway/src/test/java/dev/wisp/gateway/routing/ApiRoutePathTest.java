package dev.wisp.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ApiRoutePathTest {
    @Test
    void apiRoutesAreEveryApiPathButTheRestApis() {
        assertTrue(ApiProxy.isApiRoute("/api/guest/library/books/1"));
        assertTrue(ApiProxy.isApiRoute("/api/guest"));
        assertTrue(ApiProxy.isApiRoute("/api/v1x/books"));
        assertTrue(ApiProxy.isApiRoute("/api/v2/books"));
        assertFalse(ApiProxy.isApiRoute("/api/v1"));
        assertFalse(ApiProxy.isApiRoute("/api/v1/namespaces/_/actions"));
        assertFalse(ApiProxy.isApiRoute("/api/v1/web/guest/default/a.json"));
        assertFalse(ApiProxy.isApiRoute("/api/"));
        assertFalse(ApiProxy.isApiRoute("/admin/fleet"));
    }
}
