package dev.wisp.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wisp.common.codec.Json;
import dev.wisp.controller.api.request.ApiContext;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests no HTTP client library would send, written byte by byte straight to a controller's API server (as
 * {@link RestApi#serve} makes it, with the API's fallback routes): every answer is the API's JSON error with a
 * request id, whatever part of the request is broken.
 */
class MalformedRequestsTest {
    private static Vertx vertx;
    private static HttpServer server;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.get("/api/v1/namespaces").handler(ctx -> ApiContext.json(ctx, 200, Json.object().put("ok", true)));
        RestApi.fallback(router, new ApiErrors(1_000));
        server = RestApi.serve(vertx, new HttpServerOptions().setHost("127.0.0.1").setPort(0), router)
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** A raw answer: status, header block and body. */
    private record Raw(int status, String headers, String body) {
        String header(String name) {
            for (String line : headers.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":")) {
                    return line.substring(name.length() + 1).trim();
                }
            }
            return null;
        }
    }

    /** Sends the bytes and reads the first answer: its headers, and as much body as its Content-Length says. */
    private static Raw send(String request, boolean head) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.actualPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                all.write(buf, 0, n);
                String text = all.toString(StandardCharsets.UTF_8);
                int end = text.indexOf("\r\n\r\n");
                if (end > 0) {
                    Raw raw = new Raw(Integer.parseInt(text.substring(9, 12)), text.substring(0, end),
                            text.substring(end + 4));
                    String length = raw.header("Content-Length");
                    if (head || length != null && raw.body().getBytes(StandardCharsets.UTF_8).length
                            >= Integer.parseInt(length)) {
                        return raw;
                    }
                }
            }
            throw new IOException("no complete answer: " + all.toString(StandardCharsets.UTF_8));
        }
    }

    private static Raw send(String request) throws IOException {
        return send(request, false);
    }

    private static void assertJsonError(Raw r, int status, String messagePart) {
        assertEquals(status, r.status(), r.headers() + "\n" + r.body());
        assertNotNull(r.header("Content-Type"), r.headers());
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.headers());
        JsonNode body = Json.decode(r.body().getBytes(StandardCharsets.UTF_8), JsonNode.class);
        assertTrue(body.path("error").asText().contains(messagePart), r.body());
        assertFalse(body.path("code").asText().isEmpty(), "no request id in " + r.body());
        assertEquals(body.path("code").asText(), r.header("X-Request-ID"), r.headers());
    }

    @Test
    void aWellFormedRequestIsServed() throws IOException {
        Raw r = send("GET /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(200, r.status(), r.headers() + "\n" + r.body());
        assertEquals("{\"ok\":true}", r.body());
    }

    /** Each broken request, the status it gets and a part of the error's message. */
    static Stream<Arguments> brokenRequests() {
        String close = " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        return Stream.of(
                Arguments.of("a bad escape in the path", "GET /api/v1/namespaces/%zz/actions" + close, 400,
                        "malformed %-escape"),
                Arguments.of("headers too large", "GET /api/v1 HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000)
                        + "\r\n\r\n", 431, "headers are too large"),
                Arguments.of("no Host", "GET /api/v1/namespaces HTTP/1.1\r\nConnection: close\r\n\r\n", 400,
                        "Host"),
                Arguments.of("garbage", "HELLO\r\n\r\n", 400, "HTTP"),
                Arguments.of("an unknown path", "GET /nowhere" + close, 404, "does not exist"),
                Arguments.of("a request for no path", "OPTIONS *" + close, 404, "does not exist"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRequests")
    void aBrokenRequestGetsTheJsonError(String what, String request, int status, String messagePart)
            throws IOException {
        assertJsonError(send(request), status, messagePart);
    }

    @Test
    void aRequestLineTooLongIsA414AndClosesTheConnection() throws IOException {
        Raw r = send("GET /api/v1/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertJsonError(r, 414, "request line is too long");
        assertEquals("close", r.header("Connection"), r.headers());
    }

    @Test
    void theCallersRequestIdIsTheCode() throws IOException {
        Raw r = send("GET /api/v1/%g0 HTTP/1.1\r\nHost: x\r\nX-Request-ID: my-id-1\r\nConnection: close\r\n\r\n");
        assertJsonError(r, 400, "malformed %-escape");
        assertEquals("my-id-1", r.header("X-Request-ID"));
    }

    /** A HEAD answer has no body; its headers are those of the JSON error. */
    @Test
    void aHeadRequestGetsTheErrorsHeaders() throws IOException {
        Raw r = send("HEAD /api/v1/namespaces HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", true);
        assertEquals(404, r.status(), r.headers());
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.headers());
        assertNotNull(r.header("X-Request-ID"), r.headers());
        assertEquals("", r.body());
    }
}
