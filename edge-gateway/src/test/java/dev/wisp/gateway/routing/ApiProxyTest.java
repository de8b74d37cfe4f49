package dev.wisp.gateway.routing;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.http.HttpErrors;
import dev.wisp.common.zookeeper.MemberInfo;
import dev.wisp.gateway.defence.ConnectionGuard;
import dev.wisp.gateway.defence.EdgeLimits;
import dev.wisp.gateway.defence.RequestRates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's proxy between a client and fake controllers (plain HTTP servers in this JVM): which controller
 * serves a request, what happens when none can, the request id, and input refused at the edge.
 */
class ApiProxyTest {
    private static final String AUTH = "Basic " + java.util.Base64.getEncoder().encodeToString("a:b".getBytes());
    private static final String ACTIONS = "/api/v1/namespaces/_/actions";
    private static final int MAX_BODY = 1_000;

    private final Vertx vertx = Vertx.vertx();
    private final ControllerSet controllers = new ControllerSet();
    private final Map<String, MemberInfo> announced = new HashMap<>();
    private final List<JsonObject> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private ApiProxy proxy;
    private int gatewayPort;

    @BeforeEach
    void startGateway() throws Exception {
        EdgeLimits limits = new EdgeLimits(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(120),
                Duration.ofSeconds(15), 256, 0, 0, 64 * 1024);
        GatewayMetrics metrics = new GatewayMetrics(controllers, new ConnectionGuard(vertx, limits));
        proxy = new ApiProxy(vertx, controllers, new HealthChecker(vertx, controllers, Duration.ofMinutes(1)),
                metrics, MAX_BODY, limits, new RequestRates(limits));
        gatewayPort = done(vertx.createHttpServer().requestHandler(proxy::handle).listen(0, "127.0.0.1"))
                .actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        done(vertx.close());
    }

    /** A controller answering 200 with its name and what it received. */
    private void controller(String id) throws Exception {
        HttpServer server = done(vertx.createHttpServer().requestHandler(req -> {
            JsonObject what = new JsonObject().put("controller", id).put("uri", req.uri())
                    .put("requestId", req.getHeader(HttpErrors.REQUEST_ID));
            seen.add(what);
            req.response().putHeader("Content-Type", "application/json").end(what.encode());
        }).listen(0, "127.0.0.1"));
        announce(id, server.actualPort());
    }

    /** A controller announced in ZooKeeper whose process is gone: its port refuses connections. */
    private void deadController(String id) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        announce(id, port);
    }

    private void announce(String id, int port) {
        announced.put(id, new MemberInfo(id, "127.0.0.1", port, 0, MemberInfo.HEALTHY));
        controllers.update(Map.copyOf(announced));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + path))
                .header("Authorization", AUTH));
    }

    private Set<String> servedBy(int requests) throws Exception {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> r = get(ACTIONS);
            assertEquals(200, r.statusCode(), r.body());
            out.add(new JsonObject(r.body()).getString("controller"));
        }
        return out;
    }

    /** The body is the API's JSON error, whose code is the request id the answer carries. */
    private static JsonObject error(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.body());
        JsonObject body = new JsonObject(r.body());
        assertEquals(r.headers().firstValue(HttpErrors.REQUEST_ID).orElseThrow(), body.getString("code"));
        return body;
    }

    @Test
    void requestsAreSharedAmongTheHealthyControllers() throws Exception {
        controller("controller0");
        controller("controller1");
        assertEquals(Set.of("controller0", "controller1"), servedBy(4));
        assertEquals(ACTIONS, seen.get(0).getString("uri"));
    }

    @Test
    void aControllerMarkedDownGetsNoRequests() throws Exception {
        controller("controller0");
        controller("controller1");
        controllers.markDown("controller0");
        assertEquals(Set.of("controller1"), servedBy(4));
    }

    @Test
    void whenNoControllerPassesItsHealthChecksTheAnnouncedOnesStillServe() throws Exception {
        controller("controller0");
        controllers.markDown("controller0");
        assertEquals(Set.of("controller0"), servedBy(2));
    }

    @Test
    void aControllerThatRefusesTheConnectionIsSkippedAndMarkedDown() throws Exception {
        deadController("controller0");
        controller("controller1");
        assertEquals(Set.of("controller1"), servedBy(4));
        assertTrue(controllers.isDown("controller0"));
    }

    @Test
    void withNoControllerTheAnswerIsA503InTheApisErrorForm() throws Exception {
        HttpResponse<String> r = get(ACTIONS);
        assertEquals("No controllers available.", error(r, 503).getString("error"));
        assertEquals("1", r.headers().firstValue("Retry-After").orElseThrow());
    }

    @Test
    void whenEveryControllerRefusesTheAnswerIsA503() throws Exception {
        deadController("controller0");
        deadController("controller1");
        assertTrue(error(get(ACTIONS), 503).getString("error").contains("try again"));
    }

    @Test
    void theCallersRequestIdIsPassedToTheControllerAndReturned() throws Exception {
        controller("controller0");
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + ACTIONS))
                .header("Authorization", AUTH).header(HttpErrors.REQUEST_ID, "my-request-42"));
        assertEquals(200, r.statusCode());
        assertEquals("my-request-42", new JsonObject(r.body()).getString("requestId"));
        assertEquals(List.of("my-request-42"), r.headers().allValues(HttpErrors.REQUEST_ID));
    }

    @Test
    void aRequestWithoutAnIdOrWithAnUnreasonableOneGetsANewOne() throws Exception {
        controller("controller0");
        List<String> ids = new ArrayList<>();
        for (String id : new String[] {null, "x".repeat(65)}) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + ACTIONS))
                    .header("Authorization", AUTH);
            if (id != null) {
                b.header(HttpErrors.REQUEST_ID, id);
            }
            HttpResponse<String> r = send(b);
            String answered = r.headers().firstValue(HttpErrors.REQUEST_ID).orElseThrow();
            assertTrue(answered.matches("[0-9a-f]{32}"), answered);
            assertEquals(answered, new JsonObject(r.body()).getString("requestId"), "the controller's id too");
            ids.add(answered);
        }
        assertNotEquals(ids.get(0), ids.get(1));
    }

    @Test
    void theNamespaceApiWithoutCredentialsIsRefusedAtTheEdge() throws Exception {
        controller("controller0");
        HttpResponse<String> r = send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gatewayPort + ACTIONS)));
        assertEquals("The supplied authentication is invalid.", error(r, 401).getString("error"));
        HttpResponse<String> garbage = send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gatewayPort + ACTIONS)).header("Authorization", "Basic !!!"));
        error(garbage, 401);
        assertEquals(List.of(), seen, "no controller saw them");
    }

    @Test
    void aBodyOverTheLimitIsRefusedNamingTheLimit() throws Exception {
        controller("controller0");
        HttpResponse<String> r = send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gatewayPort + ACTIONS + "/big?overwrite=true"))
                .header("Authorization", AUTH).PUT(HttpRequest.BodyPublishers.ofString("x".repeat(MAX_BODY + 1))));
        String message = error(r, 413).getString("error");
        assertTrue(message.contains(MAX_BODY + " bytes") && message.contains("gateway.max.body.bytes"), message);
        assertEquals(List.of(), seen);
    }

    @Test
    void publicPathsNeedNoCredentials() throws Exception {
        controller("controller0");
        HttpResponse<String> r = send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gatewayPort + "/api/v1/web/guest/default/hello.json")));
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void aCallerThatLeavesWhileTheAnswerStreamsLeavesNoErrorBehind() throws Exception {
        List<Throwable> unhandled = new java.util.concurrent.CopyOnWriteArrayList<>();
        vertx.exceptionHandler(unhandled::add);
        java.util.concurrent.atomic.AtomicInteger chunksLeft = new java.util.concurrent.atomic.AtomicInteger(200);
        HttpServer server = done(vertx.createHttpServer().requestHandler(req -> {
            req.response().setChunked(true).putHeader("Content-Type", "application/json").write("[");
            vertx.setPeriodic(2, t -> {
                if (chunksLeft.decrementAndGet() <= 0) {
                    vertx.cancelTimer(t);
                    if (!req.response().closed()) {
                        req.response().end("0]");
                    }
                } else if (!req.response().closed()) {
                    req.response().write("\"" + "x".repeat(8192) + "\",");
                }
            });
        }).listen(0, "127.0.0.1"));
        announce("controller0", server.actualPort());
        try (java.net.Socket caller = new java.net.Socket("127.0.0.1", gatewayPort)) {
            caller.getOutputStream().write(("GET " + ACTIONS + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + AUTH
                    + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] head = new byte[64 * 1024];
            int read = caller.getInputStream().read(head);
            assertTrue(read > 0 && new String(head, 0, read, java.nio.charset.StandardCharsets.US_ASCII)
                    .startsWith("HTTP/1.1 200"));
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> chunksLeft.get() <= 0);
        assertEquals(List.of(), unhandled, "the proxy stopped relaying to the caller that left");
        assertEquals(200, get(ACTIONS).statusCode(), "and goes on serving");
    }

    @Test
    void aControllerConnectionAnsweredBeforeItsRequestsBodyEndedIsClosedNotKept() throws Exception {
        java.util.concurrent.CompletableFuture<Void> closed = new java.util.concurrent.CompletableFuture<>();
        HttpServer server = done(vertx.createHttpServer().requestHandler(req -> {
            req.connection().closeHandler(v -> closed.complete(null));
            // refused credentials are answered at once, before the body is read
            req.response().setStatusCode(401).putHeader("Content-Type", "application/json")
                    .end("{\"error\":\"The supplied authentication is invalid.\"}");
        }).listen(0, "127.0.0.1"));
        announce("controller0", server.actualPort());
        try (java.net.Socket caller = new java.net.Socket("127.0.0.1", gatewayPort)) {
            // a chunked body that never ends: it streams to the controller
            caller.getOutputStream().write(("PUT " + ACTIONS + "/x HTTP/1.1\r\nHost: x\r\nAuthorization: " + AUTH
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] head = new byte[64 * 1024];
            int read = caller.getInputStream().read(head);
            assertTrue(read > 0 && new String(head, 0, read, java.nio.charset.StandardCharsets.US_ASCII)
                    .startsWith("HTTP/1.1 401"));
            // one such request a pooled connection each would use the controller's connections up
            closed.get(10, SECONDS);
        }
    }

    @Test
    void oneAddressStreamsOnlySoManyBodiesToTheControllersAtOnce() throws Exception {
        java.util.concurrent.atomic.AtomicInteger reached = new java.util.concurrent.atomic.AtomicInteger();
        HttpServer server = done(vertx.createHttpServer().requestHandler(req -> reached.incrementAndGet())
                .listen(0, "127.0.0.1")); // takes each request and never answers: a body that never ends
        announce("controller0", server.actualPort());
        byte[] slowUpload = ("PUT " + ACTIONS + "/x HTTP/1.1\r\nHost: x\r\nAuthorization: " + AUTH
                + "\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        List<java.net.Socket> uploads = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < ApiProxy.MAX_UPLOADS_PER_ADDRESS; i++) {
                java.net.Socket s = new java.net.Socket("127.0.0.1", gatewayPort);
                uploads.add(s);
                s.getOutputStream().write(slowUpload);
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> reached.get() == ApiProxy.MAX_UPLOADS_PER_ADDRESS);
            try (java.net.Socket one = new java.net.Socket("127.0.0.1", gatewayPort)) {
                one.getOutputStream().write(slowUpload);
                one.setSoTimeout(10_000);
                // the answer, then the connection closes: the body it announced will not be read
                String text = new String(one.getInputStream().readAllBytes(),
                        java.nio.charset.StandardCharsets.US_ASCII);
                assertTrue(text.startsWith("HTTP/1.1 429"), text);
                assertTrue(text.contains("at most " + ApiProxy.MAX_UPLOADS_PER_ADDRESS), text);
            }
        } finally {
            uploads.get(0).close();
        }
        // one upload gone: another may start
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (java.net.Socket again = new java.net.Socket("127.0.0.1", gatewayPort)) {
                again.getOutputStream().write(slowUpload);
                again.setSoTimeout(300);
                again.getInputStream().read(new byte[16]);
                return false; // answered: refused still
            } catch (java.net.SocketTimeoutException stillStreaming) {
                return true;
            }
        });
        for (java.net.Socket s : uploads) {
            s.close();
        }
    }

    private static <T> T done(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, SECONDS);
    }
}
