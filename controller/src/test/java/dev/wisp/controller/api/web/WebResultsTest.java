package dev.wisp.controller.api.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.error.WispException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Web action URLs taken apart, and results turned into responses, without a server. */
class WebResultsTest {
    private static JsonNode json(String s) {
        return Json.parseUserJson(s.getBytes(StandardCharsets.UTF_8));
    }

    private static WebResults.Reply http(String result) {
        return WebResults.of(WebPath.Extension.HTTP, json(result));
    }

    private static int status(Runnable r) {
        return assertThrows(WispException.class, r::run).status();
    }

    @Test
    void pathsSplitIntoNamespacePackageActionExtensionAndRest() {
        WebPath p = WebPath.parse("/api/v1/web/guest/default/my.action.json/a/b").orElseThrow();
        assertEquals("guest", p.namespace());
        assertNull(p.packageName());
        assertEquals("my.action", p.action());
        assertEquals(WebPath.Extension.JSON, p.extension());
        assertEquals("/a/b", p.rest());
        WebPath bare = WebPath.parse("/api/v1/web/guest/demo/hello").orElseThrow();
        assertEquals("demo", bare.packageName());
        assertEquals(WebPath.Extension.HTTP, bare.extension());
        assertEquals("", bare.rest());
        WebPath unknown = WebPath.parse("/api/v1/web/guest/default/hello.xml").orElseThrow();
        assertEquals("hello.xml", unknown.action());
        assertEquals("hello", unknown.withoutUnknownExtension().orElseThrow().name());
        assertTrue(WebPath.parse("/api/v1/web/guest/default").isEmpty());
        assertTrue(WebPath.parse("/api/v1/web/guest//x.json").isEmpty());
        assertEquals(400, status(() -> WebPath.parse("/api/v1/web/guest/default/%20bad.json")));
    }

    @Test
    void httpResultsMapStatusHeadersAndBody() {
        WebResults.Reply r = http("{\"statusCode\":201.0,\"headers\":{\"X-N\":1.5,\"X-B\":true,"
                + "\"Content-Length\":\"999\"},\"body\":\"hi\"}");
        assertEquals(201, r.status());
        assertEquals(Map.entry("X-N", "1.5"), r.headers().get(0));
        assertEquals(Map.entry("X-B", "true"), r.headers().get(1));
        assertEquals(2, r.headers().size(), "framing headers are ours: " + r.headers());
        assertEquals("text/html; charset=UTF-8", r.contentType());
        assertEquals(204, http("{\"body\":\"\",\"headers\":{\"Content-Type\":\"text/plain\"}}").status());
        assertNull(http("{\"body\":null}").contentType());
        assertEquals(404, http("{\"statusCode\":404}").status());
    }

    @Test
    void jsonFamilyBodiesMayBeBase64AsInOpenWhisk() {
        WebResults.Reply legacy = http("{\"headers\":{\"Content-Type\":\"application/json\"},"
                + "\"body\":\"eyJhIjoxfQ==\"}");
        assertArrayEquals("{\"a\":1}".getBytes(StandardCharsets.UTF_8), legacy.body());
        WebResults.Reply object = http("{\"headers\":{\"content-type\":\"application/vnd.api+json\"},"
                + "\"body\":{\"a\":1}}");
        assertEquals("application/vnd.api+json", object.contentType());
        assertEquals(400, status(() -> http("{\"headers\":{\"Content-Type\":\"text/plain\"},\"body\":{\"a\":1}}")));
    }

    @Test
    void resultsThatDoNotFitTheExtensionAre400() {
        assertEquals(400, status(() -> http("{\"statusCode\":99}")));
        // an interim answer as the final one would leave the caller waiting for another
        assertEquals(400, status(() -> http("{\"statusCode\":100,\"body\":\"x\"}")));
        assertEquals(400, status(() -> http("{\"statusCode\":\"101\"}")));
        assertEquals(400, status(() -> http("{\"statusCode\":200.5}")));
        assertEquals(400, status(() -> http("{\"headers\":[1]}")));
        assertEquals(400, status(() -> http("{\"headers\":{\"X\":{\"nested\":1}}}")));
        assertEquals(400, status(() -> http("{\"headers\":{\"X\":\"a\\r\\nInjected: 1\"}}")));
        assertEquals(400, status(() -> http("{\"headers\":{\"Content-Type\":\"nonsense\"},\"body\":\"x\"}")));
        assertEquals(400, status(() -> WebResults.of(WebPath.Extension.SVG, json("{\"body\":1}"))));
        assertEquals(400, status(() -> WebResults.of(WebPath.Extension.JSON, json("\"text\""))));
        assertEquals(404, status(() -> WebResults.of(WebPath.Extension.TEXT, json("{}"))));
        assertEquals("{\n  \"a\" : 1\n}", new String(WebResults.of(WebPath.Extension.TEXT,
                json("{\"text\":{\"a\":1}}")).body(), StandardCharsets.UTF_8));
    }
}
