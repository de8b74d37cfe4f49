package dev.wisp.it;

import static dev.wisp.it.RawHttp.assertJsonError;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.config.Settings;
import dev.wisp.gateway.EdgeGateway;
import dev.wisp.gateway.GatewayConfig;
import dev.wisp.it.RawHttp.Answer;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The edge gateway against clients that stall, trickle, flood and pile up connections, each playing its own
 * loopback address ({@code 127.0.0.x}) so that the per-address limits apply as they would to machines: a normal
 * client is still answered at once, and every limit answers with the JSON error naming it and its setting. The
 * tight limits are tried on extra gateways started here on the shared Wisp's ZooKeeper, routing to its controller.
 */
class EdgeDefencesIT {
    private static final Pattern IN_FLIGHT = Pattern.compile("(?m)^wisp_gateway_controller_requests_in_flight (\\d+)");
    private static WispClient guest;
    private static String basic;

    @BeforeAll
    static void start() {
        guest = WispFixture.client();
        basic = "Authorization: Basic " + Base64.getEncoder().encodeToString(
                guest.auth().getBytes(StandardCharsets.UTF_8)) + "\r\n";
        assertEquals(200, guest.put("/api/v1/namespaces/_/actions/edge-ok?overwrite=true",
                WispClient.nodeAction("function main() { return {ok: true}; }")).status());
        // warm: the invokes measured behind the stalled clients must not include this action's cold start
        assertEquals(200, guest.post("/api/v1/namespaces/_/actions/edge-ok?blocking=true", "{}").status());
    }

    /**
     * 300 connections that never finish their headers or their bodies, from six addresses, while another client
     * invokes: each of its invokes is answered within a second. Silent and trickling connections are closed at
     * the header deadline; uploads that stream to a controller hold its connections only while their clients
     * stay, and give them back as soon as the clients go.
     */
    @Test
    void threeHundredStalledClientsDoNotSlowAnotherClientsInvokes() throws Exception {
        URI api = URI.create(WispFixture.get().apiHost());
        int baseline = inFlight(api);
        List<Socket> silent = new ArrayList<>();
        List<Socket> slowHeaders = new ArrayList<>();
        List<Socket> slowBodies = new ArrayList<>();
        List<Socket> streamed = new ArrayList<>();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        long opened = System.nanoTime();
        try {
            for (int i = 0; i < 300; i++) {
                Socket s = RawHttp.open(api, "127.0.0." + (11 + i % 6));
                switch (i % 3) {
                    case 0 -> silent.add(s);
                    case 1 -> {
                        RawHttp.write(s, "POST /api/v1/namespaces/_/actions/edge-ok HTTP/1.1\r\nHost: x\r\nX-Slow: ");
                        slowHeaders.add(s);
                    }
                    default -> {
                        // the first 20 announce more than the gateway reads ahead, so they stream to a controller
                        boolean stream = streamed.size() < 20;
                        RawHttp.write(s, "PUT /api/v1/namespaces/_/actions/edge-slow?overwrite=true HTTP/1.1\r\n"
                                + "Host: x\r\nContent-Type: application/json\r\n" + basic + "Content-Length: "
                                + (stream ? 5_000_000 : 100_000) + "\r\n\r\n{");
                        (stream ? streamed : slowBodies).add(s);
                    }
                }
            }
            List<Socket> tricklers = new ArrayList<>(slowHeaders);
            tricklers.addAll(slowBodies);
            tricklers.addAll(streamed);
            trickle.scheduleAtFixedRate(() -> tricklers.forEach(s -> {
                try {
                    RawHttp.write(s, "a");
                } catch (IOException closed) {
                    // closed by the gateway, as it should be at its deadline
                }
            }), 300, 300, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> inFlight(api) >= baseline + 20);

            WispClient other = guest.from("127.0.0.2");
            for (int i = 0; i < 20; i++) {
                long t0 = System.nanoTime();
                WispClient.Response r = other.post("/api/v1/namespaces/_/actions/edge-ok?blocking=true&result=true",
                        "{}");
                long millis = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(200, r.status(), r.toString());
                assertTrue(r.json().path("ok").asBoolean(), r.toString());
                assertTrue(millis < 1_000, "invoke " + i + " took " + millis + " ms behind 300 stalled clients");
            }

            // clients that go away give their controller connections back at once
            for (Socket s : streamed) {
                s.close();
            }
            await().atMost(Duration.ofSeconds(2)).until(() -> inFlight(api) <= baseline);

            // the header deadline (10 s by default) closes silent and trickling connections alike
            for (Socket s : silent) {
                assertTrue(RawHttp.closedByServer(s, remainingMillis(opened, 15_000)), "a silent connection stayed");
            }
            for (Socket s : slowHeaders) {
                assertTrue(RawHttp.closedByServer(s, remainingMillis(opened, 15_000)),
                        "a connection trickling its headers stayed");
            }
        } finally {
            trickle.shutdownNow();
            for (List<Socket> group : List.of(silent, slowHeaders, slowBodies, streamed)) {
                for (Socket s : group) {
                    s.close();
                }
            }
        }
    }

    @Test
    void slowHeadersAndIdleConnectionsAreClosedAtTheirDeadlines() throws Exception {
        try (Edge edge = new Edge(Map.of("gateway.header.timeout", "1s", "gateway.keepalive.timeout", "2s"))) {
            long t0 = System.nanoTime();
            try (Socket s = RawHttp.open(edge.api, "127.0.0.41")) {
                assertFalse(RawHttp.closedByServer(s, 500), "closed before the header deadline");
                assertTrue(RawHttp.closedByServer(s, 3_000), "a silent connection outlived gateway.header.timeout");
                assertTrue(System.nanoTime() - t0 < 4_000_000_000L);
            }
            try (Socket s = RawHttp.open(edge.api, "127.0.0.41")) {
                RawHttp.write(s, "GET /api/v1/namespaces HTTP/1.1\r\nHost: x\r\n");
                long start = System.nanoTime();
                boolean closed = false;
                while (!closed && System.nanoTime() - start < 4_000_000_000L) {
                    try {
                        RawHttp.write(s, "X");
                    } catch (IOException e) {
                        closed = true;
                    }
                    closed = closed || RawHttp.closedByServer(s, 200);
                }
                assertTrue(closed, "headers trickled a byte every 200 ms kept their connection past 1 s");
            }
            try (Socket s = RawHttp.open(edge.api, "127.0.0.41")) {
                RawHttp.write(s, "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(200, RawHttp.read(s).status());
                assertFalse(RawHttp.closedByServer(s, 1_000), "closed before the keep-alive deadline");
                assertTrue(RawHttp.closedByServer(s, 3_000), "an idle kept-alive connection outlived 2 s");
            }
        }
    }

    @Test
    void bodiesThatStallOrTrickleAreAnswered408NamingTheLimit() throws Exception {
        try (Edge edge = new Edge(Map.of("gateway.body.timeout", "3s", "gateway.body.idle.timeout", "1s"))) {
            // a short body that stops: read at the edge, no controller involved
            try (Socket s = RawHttp.open(edge.api, "127.0.0.42")) {
                long t0 = System.nanoTime();
                RawHttp.write(s, "POST /api/v1/namespaces/_/actions/edge-ok HTTP/1.1\r\nHost: x\r\n" + basic
                        + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":");
                assertJsonError(RawHttp.read(s), 408, "gateway.body.idle.timeout");
                assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "the stalled body was answered late");
                assertTrue(RawHttp.closedByServer(s, 4_000), "the connection stayed open after its 408");
            }
            // a long body that stops while it streams to a controller: the controller's request is dropped too
            int before = inFlight(edge.api);
            try (Socket s = RawHttp.open(edge.api, "127.0.0.42")) {
                RawHttp.write(s, "PUT /api/v1/namespaces/_/actions/edge-stall?overwrite=true HTTP/1.1\r\nHost: x\r\n"
                        + basic + "Content-Type: application/json\r\nContent-Length: 3000000\r\n\r\n{\"exec\":"
                        + " ".repeat(10_000));
                assertJsonError(RawHttp.read(s), 408, "gateway.body.idle.timeout");
            }
            await().atMost(Duration.ofSeconds(2)).until(() -> inFlight(edge.api) <= before);
            // a body trickled a byte at a time never goes idle, but must still end within the body deadline
            try (Socket s = RawHttp.open(edge.api, "127.0.0.42")) {
                long t0 = System.nanoTime();
                RawHttp.write(s, "POST /api/v1/namespaces/_/actions/edge-ok HTTP/1.1\r\nHost: x\r\n" + basic
                        + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n");
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < 1000; i++) {
                            RawHttp.write(s, " ");
                            Thread.sleep(200); // the client's trickle, not the test's wait
                        }
                    } catch (IOException | InterruptedException stopped) {
                        // the gateway closed the connection
                    }
                });
                Answer r = RawHttp.read(s);
                writer.interrupt();
                assertJsonError(r, 408, "gateway.body.timeout");
                long millis = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(millis >= 2_500 && millis < 6_000, "answered after " + millis + " ms, not at 3 s");
            }
        }
    }

    @Test
    void oneAddressHoldsAtMostItsConnectionsAndOthersAreServed() throws Exception {
        try (Edge edge = new Edge(Map.of("gateway.max.connections.per.address", "5"))) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    held.add(RawHttp.open(edge.api, "127.0.0.43"));
                }
                try (Socket extra = RawHttp.open(edge.api, "127.0.0.43")) {
                    RawHttp.write(extra, "GET /api/v1/namespaces HTTP/1.1\r\nHost: x\r\n" + basic + "\r\n");
                    Answer r = RawHttp.read(extra);
                    assertJsonError(r, 429, "gateway.max.connections.per.address");
                    assertTrue(r.json().path("error").asText().contains("5 open connections"), r.body());
                }
                assertEquals(200, guest.at(edge.base()).from("127.0.0.44").get("/api/v1/namespaces").status());
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    guest.at(edge.base()).from("127.0.0.43").get("/api/v1/namespaces").status() == 200);
        }
    }

    /**
     * Rates are counted per address and per whole credentials: a flood with one key is cut at its limit, the
     * same uuid with a wrong key is not (so nobody can spend another tenant's allowance), and an address that
     * sprays keys is cut at the address's limit. Refused requests never reach a controller (which would say 401).
     */
    @Test
    void floodsAreAnswered429BeforeAnyControllerWork() {
        try (Edge edge = new Edge(Map.of("gateway.rate.per.key", "5", "gateway.rate.per.address", "20"))) {
            WispClient flood = guest.at(edge.base()).from("127.0.0.45");
            Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
            WispClient.Response limited = null;
            for (int i = 0; i < 15; i++) {
                WispClient.Response r = flood.get("/api/v1/namespaces/_/actions?limit=1");
                statuses.merge(r.status(), 1, Integer::sum);
                if (r.status() == 429) {
                    limited = r;
                }
            }
            assertNotNull(limited, "15 quick requests with one key, none refused: " + statuses);
            assertTrue(statuses.getOrDefault(200, 0) >= 5 && statuses.getOrDefault(200, 0) <= 10, statuses::toString);
            assertTrue(limited.json().path("error").asText().contains("gateway.rate.per.key"), limited.body());
            assertEquals("1", limited.headers().firstValue("Retry-After").orElse(null));

            String uuid = guest.auth().split(":")[0];
            assertEquals(401, guest.at(edge.base()).from("127.0.0.46").withAuth(uuid + ":wrong")
                    .get("/api/v1/namespaces").status(), "a wrong key spent the real key's allowance");

            WispClient sprayer = guest.at(edge.base()).from("127.0.0.47");
            List<Integer> sprayed = new ArrayList<>();
            WispClient.Response cut = null;
            for (int i = 0; i < 40; i++) {
                WispClient.Response r = sprayer.withAuth(uuid + ":guess-" + i).get("/api/v1/namespaces");
                sprayed.add(r.status());
                if (r.status() == 429) {
                    cut = r;
                }
            }
            assertNotNull(cut, "40 quick guesses from one address, none refused: " + sprayed);
            assertTrue(cut.json().path("error").asText().contains("gateway.rate.per.address"), cut.body());
            assertTrue(sprayed.stream().allMatch(s -> s == 401 || s == 429), sprayed::toString);
        }
    }

    /** A chunked body that passes the limit is refused while it streams, not after the client has sent it all. */
    @Test
    void aChunkedBodyIsRefused413AsSoonAsItPassesTheLimit() throws Exception {
        try (Edge edge = new Edge(Map.of("gateway.max.body.bytes", "65536"))) {
            try (Socket s = RawHttp.open(edge.api, "127.0.0.48")) {
                RawHttp.write(s, "PUT /api/v1/namespaces/_/actions/edge-chunked?overwrite=true HTTP/1.1\r\nHost: x\r\n"
                        + basic + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
                AtomicLong sent = new AtomicLong();
                Thread writer = Thread.ofVirtual().start(() -> {
                    String chunk = Integer.toHexString(16_384) + "\r\n" + " ".repeat(16_384) + "\r\n";
                    try {
                        for (int i = 0; i < 64; i++) {
                            RawHttp.write(s, chunk);
                            sent.addAndGet(16_384);
                            Thread.sleep(50); // the client's pace, so that the answer can come mid-body
                        }
                    } catch (IOException | InterruptedException stopped) {
                        // refused: the gateway closed the connection
                    }
                });
                Answer r = RawHttp.read(s);
                long when = sent.get();
                writer.interrupt();
                assertJsonError(r, 413, "65536 bytes (gateway.max.body.bytes)");
                assertTrue(when < 256 * 1024, "refused only after " + when + " bytes");
            }
        }
    }

    /** With a PEM certificate and key the gateway speaks HTTPS, and plain HTTP gets no API answer there. */
    @Test
    void theGatewayServesHttpsWithAPemCertificate() throws Exception {
        Path dir = Files.createTempDirectory("wisp-tls-");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        String out = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, openssl.waitFor(), "openssl failed: " + out);
        try (Edge edge = new Edge(Map.of("gateway.tls.cert", cert.toString(), "gateway.tls.key", key.toString()))) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(cert)) {
                trust.setCertificateEntry("wisp", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            String https = "https://127.0.0.1:" + edge.api.getPort();
            WispClient secure = new WispClient(https, guest.auth(), WispClient.builder().sslContext(ssl).build());
            WispClient.Response r = secure.get("/api/v1/namespaces");
            assertEquals(200, r.status(), r.toString());
            assertEquals("guest", r.json().path(0).asText());

            HttpClient plain = WispClient.builder().build();
            assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + edge.api.getPort() + "/api/v1/namespaces")).build(),
                    HttpResponse.BodyHandlers.ofString()), "plain HTTP was answered on the HTTPS port");
        }
    }

    private static int remainingMillis(long sinceNanos, long totalMillis) {
        return (int) Math.max(1, totalMillis - (System.nanoTime() - sinceNanos) / 1_000_000);
    }

    private static int inFlight(URI api) throws IOException {
        Answer r = RawHttp.exchange(api, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Matcher m = IN_FLIGHT.matcher(r.body());
        assertTrue(m.find(), r.body());
        return Integer.parseInt(m.group(1));
    }

    /** One more gateway with the given settings, on the shared Wisp's ZooKeeper, routing to its controller. */
    private static final class Edge implements AutoCloseable {
        private final Vertx vertx = Vertx.vertx();
        private final URI api;

        Edge(Map<String, String> settings) {
            Map<String, String> values = new HashMap<>(settings);
            values.put("zookeeper.connect", WispFixture.get().settings().string("zookeeper.connect", null));
            values.put("gateway.host", "127.0.0.1");
            values.put("gateway.port", "0");
            EdgeGateway gateway = new EdgeGateway(GatewayConfig.from(new Settings(values)));
            vertx.deployVerticle(gateway).await();
            await().atMost(Duration.ofSeconds(30)).until(gateway::routes);
            api = URI.create("http://127.0.0.1:" + gateway.port());
        }

        String base() {
            return api.toString();
        }

        @Override
        public void close() {
            vertx.close().await();
        }
    }
}
