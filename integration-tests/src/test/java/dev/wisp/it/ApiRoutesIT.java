package dev.wisp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API routes over plain HTTP, as {@code wsk api} sends them: route management at
 * {@code /api/v1/web/whisk.system/apimgmt/...} with the caller's credentials, and the routes themselves at
 * {@code /api/{namespace}/{basePath}/{path}} without any (the npm client's view is in {@code compat/test/routes.test.js}).
 */
class ApiRoutesIT {
    private static final String MGMT = "/api/v1/web/whisk.system/apimgmt/";
    private static final String ECHO = "function main(p) { delete p.__ow_headers; return p; }";
    private static WispClient wisp;
    private static WispClient anonymous;
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void createActions() {
        wisp = WispFixture.client();
        anonymous = wisp.withAuth(null);
        ObjectNode action = (ObjectNode) WispClient.parse(WispClient.nodeAction(ECHO));
        action.putArray("annotations").addObject().put("key", "web-export").put("value", true);
        WispClient.Response r = wisp.put("/api/v1/namespaces/_/actions/routes-echo?overwrite=true", action.toString());
        assertEquals(200, r.status(), r.toString());
    }

    @Test
    void aSwaggerAsWskSendsItIsServedWithItsPathParametersAndManagedByItsName() {
        String base = "/shop-" + RUN;
        String swagger = """
                {"swagger": "2.0", "basePath": "%s", "info": {"title": "Shop %s", "version": "1.0"},
                 "paths": {"/items/{id}/parts/{part}": {"get": {"operationId": "getPart", "x-openwhisk": {
                   "namespace": "_", "package": "", "action": "routes-echo",
                   "url": "https://x/api/v1/web/_/default/routes-echo.json"}}}}}""".formatted(base, RUN);
        // wsk api create --config-file: the apidoc and its swagger both as JSON strings
        ObjectNode apidoc = WispClient.JSON.createObjectNode().put("namespace", "_").put("swagger", swagger);
        WispClient.Response created = wisp.post(MGMT + "createApi.http",
                WispClient.JSON.createObjectNode().put("apidoc", apidoc.toString()).toString());
        assertEquals(200, created.status(), created.toString());
        String url = created.json().at("/gwApiUrl").asText();
        assertTrue(url.endsWith("/api/guest" + base), url);

        WispClient.Response called = anonymous.get("/api/guest" + base + "/items/a%20b/parts/7?id=query&extra=1");
        assertEquals(200, called.status(), called.toString());
        JsonNode p = called.json();
        assertEquals("a b", p.path("id").asText(), "a path parameter beats the query's: " + p);
        assertEquals("7", p.path("part").asText());
        assertEquals("1", p.path("extra").asText());
        assertEquals("/items/a b/parts/7", p.path("__ow_path").asText());
        assertEquals("get", p.path("__ow_method").asText());

        WispClient.Response byName = wisp.get(MGMT + "getApi.http?basepath=Shop%20" + RUN);
        assertEquals(200, byName.status(), byName.toString());
        assertEquals(1, byName.json().path("apis").size(), byName.toString());
        assertEquals(base, byName.json().at("/apis/0/value/apidoc/basePath").asText());

        WispClient.Response deleted = wisp.delete(MGMT + "deleteApi.http?basepath=Shop%20" + RUN);
        assertEquals(200, deleted.status(), deleted.toString());
        assertEquals("{}", deleted.body());
        WispClient.Response gone = anonymous.get("/api/guest" + base + "/items/1/parts/2");
        assertEquals(404, gone.status(), gone.toString());
        assertEquals(gone.headers().firstValue("x-request-id").orElseThrow(), gone.json().path("code").asText());
    }

    @Test
    void badRequestsAnswerJsonErrorsNeverA500() {
        assertError(wisp.post(MGMT + "createApi.http", "{}"), 400, "apidoc is required.");
        assertError(wisp.post(MGMT + "createApi.http", endpoint("_", "/x/{a", "routes-echo")), 400, "malformed");
        assertError(wisp.post(MGMT + "createApi.http", endpoint("_", "/x", "no-such-action")), 404, "does not exist");
        assertError(wisp.post(MGMT + "createApi.http?responsetype=xml", endpoint("_", "/x", "routes-echo")), 400,
                "response type");
        assertError(wisp.delete(MGMT + "deleteApi.http"), 400, "basepath is required.");
        assertError(wisp.delete(MGMT + "deleteApi.http?basepath=/b&operation=get"), 400, "the path is required");
        assertError(anonymous.get(MGMT + "getApi.http"), 401, "");
        assertError(anonymous.get("/api/guest"), 404, "does not exist");
        assertError(anonymous.request("PATCH", "/api/guest/nothing/here", new byte[0], Map.of()), 404, "");
        // refusals with a body the route never reads: the connections they came on keep serving
        byte[] body = new byte[20_000];
        for (int i = 0; i < 20; i++) {
            assertError(anonymous.request("POST", "/api/guest/nothing/" + i, body, Map.of()), 404, "does not exist");
        }
    }

    @Test
    void aNamespaceManagesOnlyItsOwnRoutes() {
        String base = "/own-" + RUN;
        WispClient.Response created = wisp.post(MGMT + "createApi.http", endpoint("_", "/r", "routes-echo")
                .replace("/b-base", base));
        assertEquals(200, created.status(), created.toString());
        WispClient other = Admin.newUser("routes-other-" + RUN);
        assertError(other.post(MGMT + "createApi.http", endpoint("guest", "/r", "routes-echo").replace("/b-base", base)),
                403, "not authorized");
        assertError(other.get(MGMT + "getApi.http?namespace=guest"), 403, "not authorized");
        WispClient.Response theirs = other.get(MGMT + "getApi.http?basepath=" + base);
        assertEquals(0, theirs.json().path("apis").size(), theirs.toString());
        assertError(other.delete(MGMT + "deleteApi.http?basepath=" + base), 404, "does not exist");
        // still there, and public like the web action behind it
        assertEquals(200, anonymous.get("/api/guest" + base + "/r").status());
        // and under the uuid of the namespace's key, where OpenWhisk's gateway URLs have it
        String uuid = WispFixture.get().guestAuth().split(":")[0];
        WispClient.Response byUuid = anonymous.get("/api/" + uuid + base + "/r");
        assertEquals(200, byUuid.status(), byUuid.toString());
        assertEquals("/r", byUuid.json().path("__ow_path").asText());
        assertEquals(200, wisp.delete(MGMT + "deleteApi.http?basepath=" + base).status());
    }

    /** What the npm client sends for one endpoint, under the base path {@code /b-base}. */
    private static String endpoint(String namespace, String path, String action) {
        ObjectNode apidoc = WispClient.JSON.createObjectNode().put("namespace", namespace)
                .put("gatewayBasePath", "/b-base").put("gatewayPath", path).put("gatewayMethod", "GET");
        apidoc.putObject("action").put("name", action).put("namespace", namespace).put("backendMethod", "GET")
                .put("backendUrl", "http://x/api/v1/web/_/default/" + action + ".http").put("authkey", "u:k");
        ObjectNode body = WispClient.JSON.createObjectNode();
        body.set("apidoc", apidoc);
        return body.toString();
    }

    private static void assertError(WispClient.Response r, int status, String part) {
        assertEquals(status, r.status(), r.toString());
        JsonNode body = r.json();
        assertTrue(body.path("error").asText().contains(part), r.toString());
        assertEquals(r.headers().firstValue("x-request-id").orElseThrow(), body.path("code").asText(), r.toString());
    }
}
