package dev.wisp.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Web actions through the gateway, without credentials: each extension, the {@code __ow_*} context, parameter
 * merging, {@code raw-http}, {@code final}, {@code require-whisk-auth}, result-to-HTTP mapping, CORS, errors.
 */
class WebActionsIT {
    private static final String WEB = "/api/v1/web/guest/default/";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** A 1x1 PNG. */
    private static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQ"
            + "AAAABJRU5ErkJggg==";
    private static final String ECHO = "function main(p) { return p; }";
    /** Answers what its parameter {@code r} says (a JSON string in a query), fails as {@code fail} says. */
    private static final String RESPOND = """
            function main(p) {
              if (p.crash) { throw new Error('boom'); }
              if (p.fail) { return { error: typeof p.fail === 'string' ? JSON.parse(p.fail) : p.fail }; }
              return typeof p.r === 'string' ? JSON.parse(p.r) : (p.r || {});
            }
            """;
    private static final String CUSTOM_OPTIONS = """
            function main(p) {
              if (p.__ow_method === 'options') {
                return { statusCode: 200, headers: { 'Access-Control-Allow-Origin': 'example.com',
                                                     'Access-Control-Allow-Methods': 'OPTIONS, GET' } };
              }
              return { body: 'not options' };
            }
            """;
    private static WispClient wisp;
    private static String apiHost;
    private static String guestAuth;

    @BeforeAll
    static void createActions() {
        wisp = WispFixture.client();
        apiHost = WispFixture.get().apiHost();
        guestAuth = WispFixture.get().guestAuth();
        create("web-echo", ECHO, Map.of("web-export", true), Map.of("bound", "action"));
        create("web-respond", RESPOND, Map.of("web-export", true), Map.of());
        create("web-raw", ECHO, Map.of("web-export", true, "raw-http", true), Map.of());
        create("web-final", ECHO, Map.of("web-export", true, "final", true), Map.of("fixed", "bound"));
        create("web-auth", ECHO, Map.of("web-export", true, "require-whisk-auth", true), Map.of());
        create("web-secret", ECHO, Map.of("web-export", true, "require-whisk-auth", "s3cret"), Map.of());
        create("web-options", CUSTOM_OPTIONS, Map.of("web-export", true, "web-custom-options", true), Map.of());
        create("web-hidden", ECHO, Map.of(), Map.of());
        create("web-unexported", ECHO, Map.of("web-export", false), Map.of());
    }

    @Test
    void jsonExtensionPassesTheRequestContext() {
        Reply r = web("GET", "web-echo.json/some/path?name=Jane", null, Map.of("X-Custom", "yes"));
        assertEquals(200, r.status(), r.toString());
        assertEquals("application/json", r.header("content-type"));
        assertEquals(32, r.header("x-openwhisk-activation-id").length(), r.toString());
        assertEquals("*", r.header("access-control-allow-origin"));
        JsonNode p = r.json();
        assertEquals("get", p.path("__ow_method").asText());
        assertEquals("/some/path", p.path("__ow_path").asText());
        assertEquals("yes", p.path("__ow_headers").path("x-custom").asText(), p.toString());
        assertTrue(p.path("__ow_headers").path("host").asText().startsWith("127.0.0.1:"), p.toString());
        assertEquals("Jane", p.path("name").asText());
        assertEquals("action", p.path("bound").asText());
        assertFalse(p.has("__ow_user") || p.has("__ow_body") || p.has("__ow_query"), p.toString());
    }

    @Test
    void bodyOverridesQueryWhichOverridesBoundParameters() {
        Reply json = web("POST", "web-echo.json?a=query&b=query&bound=query",
                "{\"b\":\"body\",\"c\":1}", Map.of("Content-Type", "application/json"));
        assertEquals(200, json.status(), json.toString());
        JsonNode p = json.json();
        assertEquals("post", p.path("__ow_method").asText());
        assertEquals("query", p.path("a").asText());
        assertEquals("body", p.path("b").asText());
        assertEquals(1, p.path("c").asInt());
        assertEquals("query", p.path("bound").asText());

        JsonNode form = web("PUT", "web-echo.json?a=query", "a=form&f=1+2",
                Map.of("Content-Type", "application/x-www-form-urlencoded")).json();
        assertEquals("put", form.path("__ow_method").asText());
        assertEquals("form", form.path("a").asText());
        assertEquals("1 2", form.path("f").asText());

        JsonNode text = web("POST", "web-echo.json", "plain words", Map.of("Content-Type", "text/plain")).json();
        assertEquals("plain words", text.path("__ow_body").asText(), text.toString());
        byte[] bytes = {0, 1, 2, (byte) 0xff};
        JsonNode binary = webBytes("POST", "web-echo.json", bytes, Map.of("Content-Type", "application/octet-stream"))
                .json();
        assertEquals(Base64.getEncoder().encodeToString(bytes), binary.path("__ow_body").asText());
        JsonNode array = web("POST", "web-echo.json", "[1,2]", Map.of("Content-Type", "application/json")).json();
        assertEquals("[1,2]", array.path("__ow_body").toString());

        Reply reserved = web("GET", "web-echo.json?__ow_method=put", null, Map.of());
        assertEquals(400, reserved.status(), reserved.toString());
        assertEquals("Request defines parameters that are not allowed (e.g., reserved properties).",
                reserved.json().path("error").asText());
    }

    @Test
    void rawHttpGetsTheQueryStringAndBodyUnparsed() {
        String body = "{\"name\":\"Jane\"}";
        JsonNode p = web("POST", "web-raw.json?name=Jane&x=1", body, Map.of("Content-Type", "application/json"))
                .json();
        assertEquals("name=Jane&x=1", p.path("__ow_query").asText(), p.toString());
        assertEquals(Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)),
                p.path("__ow_body").asText());
        assertFalse(p.has("name"), p.toString());
        JsonNode form = web("POST", "web-raw.json", "a=1&b=2", Map.of("Content-Type",
                "application/x-www-form-urlencoded")).json();
        assertEquals("a=1&b=2", form.path("__ow_body").asText(), form.toString());
        assertEquals("", form.path("__ow_query").asText());
        assertFalse(form.has("a"), form.toString());
    }

    @Test
    void finalParametersCannotBeOverridden() {
        Reply overridden = web("GET", "web-final.json?fixed=mine", null, Map.of());
        assertEquals(400, overridden.status(), overridden.toString());
        assertEquals("Request defines parameters that are not allowed (e.g., reserved properties).",
                overridden.json().path("error").asText());
        Reply inBody = web("POST", "web-final.json", "{\"fixed\":\"mine\"}", Map.of("Content-Type",
                "application/json"));
        assertEquals(400, inBody.status(), inBody.toString());
        Reply other = web("GET", "web-final.json?other=1", null, Map.of());
        assertEquals(200, other.status(), other.toString());
        assertEquals("bound", other.json().path("fixed").asText());
        assertEquals("1", other.json().path("other").asText());

        String invoke = "/api/v1/namespaces/_/actions/web-final?blocking=true&result=true";
        WispClient.Response viaApi = wisp.post(invoke, "{\"fixed\":\"mine\"}");
        assertEquals(400, viaApi.status(), "the REST API honours final too: " + viaApi);
        assertEquals("bound", wisp.post(invoke, "{\"other\":1}").json().path("fixed").asText());
    }

    @Test
    void requireWhiskAuthTrueWantsValidCredentials() {
        assertEquals(401, web("GET", "web-auth.json", null, Map.of()).status());
        assertEquals(401, web("GET", "web-auth.json", null, Map.of("Authorization", basic("nobody:wrong")))
                .status());
        Reply ok = web("GET", "web-auth.json", null, Map.of("Authorization", basic(guestAuth),
                "Proxy-Authorization", basic(guestAuth), "X-Wisp-Internal", "x"));
        assertEquals(200, ok.status(), ok.toString());
        assertEquals("guest", ok.json().path("__ow_user").asText(), ok.toString());
        JsonNode headers = ok.json().path("__ow_headers");
        assertTrue(headers.isObject() && headers.size() > 0, ok.toString());
        for (String withheld : new String[] {"authorization", "proxy-authorization", "x-wisp-internal"}) {
            assertFalse(headers.has(withheld), "the action got the caller's " + withheld + ": " + headers);
        }
        assertFalse(ok.text().contains(guestAuth.substring(guestAuth.indexOf(':') + 1)), "the key leaked: " + ok);
    }

    @Test
    void requireWhiskAuthStringWantsTheSecretHeader() {
        Reply none = web("GET", "web-secret.json", null, Map.of());
        assertEquals(401, none.status(), none.toString());
        assertEquals("The supplied authentication is invalid.", none.json().path("error").asText());
        assertEquals(401, web("GET", "web-secret.json", null, Map.of("X-Require-Whisk-Auth", "guess")).status());
        Reply ok = web("GET", "web-secret.json", null, Map.of("X-Require-Whisk-Auth", "s3cret"));
        assertEquals(200, ok.status(), ok.toString());
        assertFalse(ok.json().has("__ow_user"), ok.toString());
        assertFalse(ok.text().contains("s3cret"), "the secret reached the action: " + ok);
    }

    @Test
    void onlyExportedActionsAnswer() {
        for (String path : List.of("web-hidden.json", "web-unexported.json", "no-such-action.json",
                "web-hidden", "../../namespaces/guest/actions/web-echo")) {
            Reply r = web("GET", path, null, Map.of());
            assertEquals(404, r.status(), path + ": " + r);
            assertEquals("The requested resource does not exist.", r.json().path("error").asText(), path);
        }
        Reply otherNamespace = web("GET", "/api/v1/web/no-such-namespace/default/web-echo.json", null, Map.of());
        assertEquals(404, otherNamespace.status(), otherNamespace.toString());
        Reply inPackage = web("GET", "/api/v1/web/guest/no-such-package/web-echo.json", null, Map.of());
        assertEquals(404, inPackage.status(), inPackage.toString());
    }

    @Test
    void unknownExtensionIsRefused() {
        Reply r = web("GET", "web-echo.xml", null, Map.of());
        assertEquals(400, r.status(), r.toString());
        assertEquals("Extension must be specified and one of [.http, .json, .html, .svg, .text].",
                r.json().path("error").asText());
        assertEquals(404, web("GET", "no-such-action.xml", null, Map.of()).status());
    }

    @Test
    void textualExtensionsAnswerAField() {
        Reply html = respond("html", "{\"body\":\"<h1>hi</h1>\"}");
        assertEquals(200, html.status(), html.toString());
        assertEquals("text/html; charset=UTF-8", html.header("content-type"));
        assertEquals("<h1>hi</h1>", html.text());
        assertEquals("<p>named</p>", respond("html", "{\"html\":\"<p>named</p>\"}").text());
        Reply svg = respond("svg", "{\"svg\":\"<svg/>\"}");
        assertEquals("image/svg+xml", svg.header("content-type"));
        assertEquals("<svg/>", svg.text());
        Reply text = respond("text", "{\"text\":42}");
        assertEquals("text/plain; charset=UTF-8", text.header("content-type"));
        assertEquals("42", text.text());
        Reply notString = respond("html", "{\"body\":{\"a\":1}}");
        assertEquals(400, notString.status(), notString.toString());
        assertEquals("Response is not valid 'text/html'.", notString.json().path("error").asText());
        Reply missing = respond("text", "{\"other\":1}");
        assertEquals(404, missing.status(), missing.toString());
        assertEquals("Response does not include requested property.", missing.json().path("error").asText());
    }

    @Test
    void httpResultsBecomeTheResponse() {
        Reply redirect = respond("http", "{\"statusCode\":302,\"headers\":{\"Location\":\"https://example.org/\"}}");
        assertEquals(302, redirect.status(), redirect.toString());
        assertEquals("https://example.org/", redirect.header("location"));

        Reply cookies = respond("http", "{\"statusCode\":\"201\",\"headers\":{\"Set-Cookie\":[\"a=1\",\"b=2\"],"
                + "\"X-Count\":3,\"Content-Type\":\"text/plain\"},\"body\":\"made\"}");
        assertEquals(201, cookies.status(), cookies.toString());
        assertEquals(List.of("a=1", "b=2"), cookies.headers().allValues("set-cookie"));
        assertEquals("3", cookies.header("x-count"));
        assertEquals("text/plain; charset=UTF-8", cookies.header("content-type"));
        assertEquals("made", cookies.text());

        Reply png = respond("http", "{\"headers\":{\"Content-Type\":\"image/png\"},\"body\":\"" + PNG + "\"}");
        assertEquals(200, png.status(), png.toString());
        assertEquals("image/png", png.header("content-type"));
        assertArrayEquals(Base64.getDecoder().decode(PNG), png.body());

        Reply json = respond("http", "{\"statusCode\":200,\"body\":{\"list\":[1,2]}}");
        assertEquals("application/json", json.header("content-type"));
        assertEquals("{\"list\":[1,2]}", json.text());

        Reply noExtension = web("POST", "web-respond", "{\"r\":{\"body\":\"<b>default</b>\"}}",
                Map.of("Content-Type", "application/json"));
        assertEquals(200, noExtension.status(), noExtension.toString());
        assertEquals("text/html; charset=UTF-8", noExtension.header("content-type"));
        assertEquals("<b>default</b>", noExtension.text());

        Reply empty = respond("http", "{}");
        assertEquals(204, empty.status(), empty.toString());

        Reply badCode = respond("http", "{\"statusCode\":\"teapot\"}");
        assertEquals(400, badCode.status(), badCode.toString());
        assertEquals("Response is not valid 'message/http'.", badCode.json().path("error").asText());
        Reply badBase64 = respond("http", "{\"headers\":{\"Content-Type\":\"image/png\"},\"body\":\"not base64!\"}");
        assertEquals(400, badBase64.status(), badBase64.toString());
    }

    @Test
    void failuresAnswerAsOpenWhiskDoes() {
        Reply applicationError = web("GET", "web-respond.http?fail=" + enc("{\"statusCode\":418,\"body\":\"tea\"}"),
                null, Map.of());
        assertEquals(418, applicationError.status(), applicationError.toString());
        assertEquals("tea", applicationError.text());
        Reply asJson = web("GET", "web-respond.json?fail=" + enc("{\"reason\":\"no\"}"), null, Map.of());
        assertEquals(200, asJson.status(), asJson.toString());
        assertEquals("no", asJson.json().path("reason").asText());
        Reply crash = web("GET", "web-respond.json?crash=1", null, Map.of());
        assertEquals(400, crash.status(), crash.toString());
        assertEquals("There was an error processing your request.", crash.json().path("error").asText());
        assertEquals(32, crash.header("x-openwhisk-activation-id").length());
    }

    @Test
    void optionsAnswerCorsUnlessTheActionHandlesThem() {
        Reply preflight = web("OPTIONS", "web-echo.json", null, Map.of("Access-Control-Request-Headers", "X-Mine"));
        assertEquals(200, preflight.status(), preflight.toString());
        assertEquals("*", preflight.header("access-control-allow-origin"));
        assertEquals("OPTIONS, GET, DELETE, POST, PUT, HEAD, PATCH", preflight.header("access-control-allow-methods"));
        assertEquals("X-Mine", preflight.header("access-control-allow-headers"));
        assertEquals(null, preflight.header("x-openwhisk-activation-id"), "no activation for a preflight");
        assertEquals("Authorization, Origin, X-Requested-With, Content-Type, Accept, User-Agent",
                web("OPTIONS", "web-echo", null, Map.of()).header("access-control-allow-headers"));

        Reply custom = web("OPTIONS", "web-options.http", null, Map.of());
        assertEquals(200, custom.status(), custom.toString());
        assertEquals("example.com", custom.header("access-control-allow-origin"));
        assertEquals("OPTIONS, GET", custom.header("access-control-allow-methods"));
        Reply get = web("GET", "web-options.http", null, Map.of());
        assertEquals("not options", get.text());
        assertEquals(null, get.header("access-control-allow-origin"), get.headers().map().toString());
        assertEquals(404, web("OPTIONS", "web-hidden.json", null, Map.of()).status());
    }

    @Test
    void thePayloadLimitApplies() {
        byte[] big = new byte[1_048_576 + 10];
        Reply r = webBytes("POST", "web-echo.json", big, Map.of("Content-Type", "application/octet-stream"));
        assertEquals(413, r.status(), r.toString());
        assertTrue(r.json().path("error").asText().contains("payload limit of 1048576 bytes"), r.toString());
    }

    // --- helpers

    private static void create(String name, String code, Map<String, Object> annotations, Map<String, String> params) {
        ObjectNode body = WispClient.JSON.createObjectNode();
        body.set("exec", WispClient.JSON.createObjectNode().put("kind", "nodejs:default").put("code", code));
        ArrayNode a = body.putArray("annotations");
        annotations.forEach((k, v) -> a.addObject().put("key", k).set("value", WispClient.JSON.valueToTree(v)));
        ArrayNode p = body.putArray("parameters");
        params.forEach((k, v) -> p.addObject().put("key", k).put("value", v));
        WispClient.Response r = wisp.put("/api/v1/namespaces/_/actions/" + name + "?overwrite=true", body.toString());
        assertEquals(200, r.status(), r.toString());
    }

    private static Reply respond(String extension, String result) {
        return web("GET", "web-respond." + extension + "?r=" + enc(result), null, Map.of());
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String basic(String auth) {
        return "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8));
    }

    private record Reply(int status, byte[] body, HttpHeaders headers) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return WispClient.JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + this, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }

    private static Reply web(String method, String path, String body, Map<String, String> headers) {
        return webBytes(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** A request without credentials unless given; {@code path} relative to the guest's default package. */
    private static Reply webBytes(String method, String path, byte[] body, Map<String, String> headers) {
        String full = path.startsWith("/") ? path : WEB + path;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(apiHost + full)).timeout(Duration.ofSeconds(90))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        try {
            HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new AssertionError(method + " " + full + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
