package dev.wisp.controller.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.error.WispException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiDocsTest {
    private static JsonNode json(String s) {
        return Json.parseUserJson(s.getBytes(StandardCharsets.UTF_8));
    }

    /** What the npm client sends for {@code ow.routes.create({basepath, relpath, operation, action})}. */
    private static final String CLIENT_APIDOC = """
            {"namespace": "_", "gatewayBasePath": "/library/", "gatewayPath": "books/{isbn}", "gatewayMethod": "GET",
             "id": "API:_:/library", "apiName": "Library",
             "action": {"name": "shelf/lookup", "namespace": "_", "backendMethod": "GET",
                        "backendUrl": "http://h/api/v1/web/_/shelf/lookup.http", "authkey": "u:k"}}""";

    @Test
    void anEndpointBecomesASwaggerOperationInTheCallersNamespace() {
        ApiDocs.Endpoint e = ApiDocs.endpoint(json(CLIENT_APIDOC), "guest");
        assertEquals("/library", e.basePath());
        assertEquals("/books/{isbn}", e.relPath());
        assertEquals("get", e.method());
        assertEquals(new EntityPath("guest", "shelf", "lookup"), e.action());
        ObjectNode swagger = ApiDocs.base(e.basePath(), e.apiName());
        ApiDocs.addEndpoint(swagger, e, "http", "http://gw/api/v1/web");
        JsonNode op = swagger.at("/paths/~1books~1{isbn}/get");
        assertEquals("get_/books/{isbn}", op.path("operationId").asText());
        assertEquals("http://gw/api/v1/web/guest/shelf/lookup.http", op.at("/x-openwhisk/url").asText());
        assertEquals("lookup", op.at("/x-openwhisk/action").asText());
        assertEquals("isbn", op.at("/parameters/0/name").asText());
        assertEquals("Library", swagger.at("/info/title").asText());

        List<ApiRoute> routes = ApiDocs.routes("guest", swagger);
        assertEquals(1, routes.size());
        assertEquals("http", routes.get(0).responseType());
        assertEquals(new EntityPath("guest", "shelf", "lookup"), routes.get(0).action());
        assertTrue(routes.get(0).cors());
        assertNull(routes.get(0).rateLimit());
    }

    @Test
    void missingFieldsAreNamedAsOpenWhiskNamesThem() {
        WispException e = assertThrows(WispException.class,
                () -> ApiDocs.endpoint(json("{\"namespace\": \"_\", \"gatewayPath\": \"/x\"}"), "guest"));
        assertEquals("apidoc is missing the gatewayBasePath field.", e.getMessage());
        e = assertThrows(WispException.class, () -> ApiDocs.routes("guest", json("{\"basePath\": \"/x\"}")));
        assertEquals("swagger is missing the paths field.", e.getMessage());
    }

    @Test
    void removingTheLastVerbOfAPathRemovesThePath() {
        ObjectNode swagger = ApiDocs.base("/a", null);
        ApiDocs.addEndpoint(swagger, ApiDocs.endpoint(json(CLIENT_APIDOC), "guest"), "json", "http://gw/api/v1/web");
        WispException e = assertThrows(WispException.class,
                () -> ApiDocs.removeEndpoint(swagger, "/books/{isbn}", "post"));
        assertEquals(404, e.status());
        ApiDocs.removeEndpoint(swagger, "/books/{isbn}", "GET");
        assertTrue(swagger.path("paths").isEmpty());
    }

    @Test
    void rateLimitsAndCorsComeFromIbmsExtensions() {
        JsonNode swagger = json("""
                {"swagger": "2.0", "basePath": "/v", "info": {"title": "v", "version": "1"},
                 "x-ibm-configuration": {"cors": {"enabled": false}},
                 "x-ibm-rate-limit": [{"rate": 5, "unit": "second", "units": 2, "operations": ["slow"]}],
                 "paths": {"/a": {"get": {"operationId": "slow",
                                          "x-openwhisk": {"namespace": "_", "package": "", "action": "a",
                                                          "url": "http://h/api/v1/web/guest/default/a.json"}},
                                  "post": {"x-openwhisk": {"action": "b"},
                                           "x-ibm-rate-limit": {"rate": 1, "unit": "minute"}}},
                           "/b": {"get": {"x-openwhisk": {"namespace": "other", "action": "c"}}}}}""");
        List<ApiRoute> routes = ApiDocs.routes("guest", swagger);
        assertEquals(3, routes.size());
        ApiRoute slow = routes.get(0);
        assertEquals(new RateLimit(5, Duration.ofSeconds(2)), slow.rateLimit());
        assertEquals(false, slow.cors());
        assertEquals(new RateLimit(1, Duration.ofMinutes(1)), routes.get(1).rateLimit());
        assertNull(routes.get(2).rateLimit());
        assertEquals(EntityPath.of("other", "c"), routes.get(2).action());
        assertEquals("json", routes.get(2).responseType());
    }
}
