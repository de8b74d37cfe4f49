package dev.wisp.bench;

import dev.wisp.common.config.Settings;
import dev.wisp.common.zookeeper.Zk;
import dev.wisp.controller.fleet.Fleet;
import dev.wisp.controller.zookeeper.FleetNodes;
import dev.wisp.invoker.Invoker;
import dev.wisp.invoker.InvokerConfig;
import dev.wisp.standalone.Standalone;
import dev.wisp.standalone.StandaloneConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;

/**
 * A standalone Wisp for one benchmark (real Kafka, ZooKeeper, store, Docker) with throttles out of the way, and
 * the HTTP calls the scenarios make through its gateway. More invokers can join it in the same process.
 */
final class BenchWisp implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Standalone wisp;
    private final String namePrefix = "bench-" + ProcessHandle.current().pid();
    private final List<String> extraInvokers = new ArrayList<>();
    private Vertx extraVertx;
    private final String base;
    private final String auth;
    private final GatewayClient gateway;

    /** Settings a run was told to use ({@code ./wisp bench --set=invoker.publish.ports=false}), over the bench's own. */
    private static final Map<String, String> OVERRIDES = new java.util.concurrent.ConcurrentHashMap<>();

    /** Takes {@code key=value} for every Wisp started from now on. */
    static void override(String keyValue) {
        int eq = keyValue.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--set wants key=value, e.g. --set=invoker.publish.ports=false; got '"
                    + keyValue + "'");
        }
        OVERRIDES.put(keyValue.substring(0, eq), keyValue.substring(eq + 1));
    }

    BenchWisp(int invokerMemoryMb) throws Exception {
        Path data = Files.createTempDirectory("wisp-bench-");
        Map<String, String> values = new HashMap<>(Map.of(
                "standalone.data", data.toString(), "gateway.port", "0", "standalone.wskprops", "false",
                "invoker.name", namePrefix, "invoker.memory.mb", String.valueOf(invokerMemoryMb),
                "invoker.max.inflight", "128",
                // the floor talks to a warm container directly while Wisp does not: it must not be paused meanwhile
                "invoker.pause.grace", "0ms",
                "limits.invocations.per.minute", "100000000", "limits.invocations.concurrent", "100000",
                "limits.fires.per.minute", "100000000"));
        // nor given up for a stem cell once idle a while: the floors' connections to it would die mid-window (the
        // throughput floor lost every request in flight that way), as the pool cannot see the floor's use
        values.put("invoker.prewarm.reclaim", "0ms");
        values.putAll(OVERRIDES);
        wisp = new Standalone(StandaloneConfig.from(new Settings(values)), s -> { });
        wisp.start();
        base = wisp.apiHost() + "/api/v1/namespaces/_/";
        auth = "Basic " + Base64.getEncoder().encodeToString(wisp.guestAuth().getBytes(StandardCharsets.UTF_8));
        gateway = new GatewayClient(base, auth);
    }

    String kafkaBootstrap() {
        return wisp.settings().string("kafka.bootstrap", "");
    }

    /** The URL of a blocking invoke of {@code action} that answers with its result only. */
    String blockingInvokeUrl(String action) {
        return base + "actions/" + action + "?blocking=true&result=true";
    }

    /** The {@code Authorization} header value of the guest namespace. */
    String authorization() {
        return auth;
    }

    /** The Docker label value that marks the containers of this Wisp's first invoker. */
    String invokerName() {
        return namePrefix;
    }

    /** Starts one more invoker in this process, on the same Kafka, ZooKeeper, store and Docker engine. */
    void addInvoker(int memoryMb) throws Exception {
        if (extraVertx == null) {
            extraVertx = Vertx.vertx();
        }
        String name = namePrefix + "-" + (extraInvokers.size() + 2);
        Settings s = wisp.settings().with("invoker.name", name).with("invoker.memory.mb", String.valueOf(memoryMb))
                .with("invoker.admin.port", "0");
        extraInvokers.add(extraVertx.deployVerticle(new Invoker(InvokerConfig.from(s))).await());
    }

    /** Waits until {@code count} invokers are healthy in ZooKeeper, as the controllers see them. */
    void awaitHealthyInvokers(int count, Duration max) throws Exception {
        long end = System.nanoTime() + max.toNanos();
        try (CuratorFramework zk = Zk.connect(wisp.settings().string("zookeeper.connect", ""), Duration.ofSeconds(10))) {
            while (true) {
                long healthy = Fleet.read(new FleetNodes(zk)).invokers().stream().filter(i -> "healthy".equalsIgnoreCase(i.state())).count();
                if (healthy >= count) {
                    return;
                }
                if (System.nanoTime() > end) {
                    throw new IllegalStateException(healthy + " of " + count + " invokers healthy after " + max);
                }
                Thread.sleep(200);
            }
        }
    }

    /** Creates or replaces a Node.js action. */
    void putNode(String name, String code, int memoryMb) throws IOException, InterruptedException {
        put(name, "nodejs:default", code, memoryMb);
    }

    /** Creates or replaces an action of {@code kind}. */
    void put(String name, String kind, String code, int memoryMb) throws IOException, InterruptedException {
        String body = "{\"exec\":{\"kind\":" + quote(kind) + ",\"code\":" + quote(code) + "},"
                + "\"limits\":{\"memory\":" + memoryMb + "}}";
        call("PUT", "actions/" + name + "?overwrite=true", body, 200);
    }

    /** A request to the namespace's API; fails unless it answers {@code expected}. Returns the body. */
    String call(String method, String path, String body, int expected) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /** Blocking invokes of {@code action} back to back on {@code clients} connections for {@code window}. */
    ThroughputBench.Run load(String action, int clients, Duration window) throws IOException {
        return load(List.of(action), clients, window, null);
    }

    /**
     * Blocking invokes of {@code actions} in turn (one counter for all connections) on {@code clients}
     * connections for {@code window}, each response's latency into {@code latencies} (or null).
     */
    ThroughputBench.Run load(List<String> actions, int clients, Duration window, Samples latencies)
            throws IOException {
        byte[][] requests = new byte[actions.size()][];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = LoadClient.post(blockingInvokeUrl(actions.get(i)), auth, "{}");
        }
        URI uri = URI.create(base);
        return LoadClient.run(uri.getHost(), uri.getPort(), requests, 200, clients, window, latencies);
    }

    /** One invoke; returns its latency in nanoseconds. */
    long invoke(String action, boolean blocking) throws IOException {
        long t0 = System.nanoTime();
        gateway.post("actions/" + action + (blocking ? "?blocking=true&result=true" : ""), "{}", blocking ? 200 : 202);
        return System.nanoTime() - t0;
    }

    static String quote(String s) {
        return dev.wisp.common.codec.Json.mapper().getNodeFactory().textNode(s).toString();
    }

    @Override
    public void close() {
        if (extraVertx != null) {
            for (String id : extraInvokers) {
                extraVertx.undeploy(id).await();
            }
            extraVertx.close().await();
        }
        gateway.close();
        wisp.close();
    }
}
