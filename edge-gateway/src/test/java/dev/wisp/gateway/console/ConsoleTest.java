package dev.wisp.gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console's files as a browser gets them, from a router with only the console and a 404 behind it. */
class ConsoleTest {
    private static Vertx vertx;
    private static HttpServer server;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void serve() {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        Console.install(router);
        router.route().handler(ctx -> ctx.response().setStatusCode(404).end("not here"));
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
    }

    private static HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageComesWithAStrictPolicyAndIsRevalidated() throws Exception {
        HttpResponse<String> page = send("GET", "/console/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<script type=\"module\" src=\"js/app.js\">"), page.body());
        assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        assertEquals(Console.POLICY, page.headers().firstValue("content-security-policy").orElse(""));
        assertEquals("no-cache", page.headers().firstValue("cache-control").orElse(""));
        assertEquals("nosniff", page.headers().firstValue("x-content-type-options").orElse(""));
        assertTrue(page.headers().firstValue("last-modified").isPresent(), "revalidation needs Last-Modified");
    }

    @Test
    void scriptsAndStylesHaveTheirTypes() throws Exception {
        assertTrue(send("GET", "/console/js/app.js").headers().firstValue("content-type").orElse("")
                .matches("(text|application)/javascript.*"));
        assertTrue(send("GET", "/console/console.css").headers().firstValue("content-type").orElse("")
                .startsWith("text/css"));
    }

    @Test
    void theBarePathIsRedirected() throws Exception {
        HttpResponse<String> bare = send("GET", "/console");
        assertEquals(301, bare.statusCode());
        assertEquals("/console/", bare.headers().firstValue("location").orElse(""));
    }

    @Test
    void nothingElseIsServed() throws Exception {
        assertEquals(404, send("GET", "/console/nope.js").statusCode());
        assertEquals(404, send("GET", "/console/js/").statusCode(), "no directory listing");
        assertEquals(404, send("GET", "/console/%2e%2e/dev/wisp/gateway/console/Console.class").statusCode());
        assertEquals(404, send("POST", "/console/").statusCode());
    }
}
