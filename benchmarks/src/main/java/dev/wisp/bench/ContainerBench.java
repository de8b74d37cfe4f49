package dev.wisp.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.invoker.docker.DockerEngine;
import dev.wisp.invoker.pool.ContainerPool;
import dev.wisp.invoker.pool.PoolConfig;
import dev.wisp.invoker.pool.PooledContainer;
import dev.wisp.invoker.pool.PrewarmSpec;
import dev.wisp.invoker.runtime.RunResult;
import dev.wisp.invoker.runtime.RuntimeClient;
import dev.wisp.it.cluster.OnContext;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Issue 4's measure, per runtime kind: cold start (container create to first result), prewarmed start (a stem
 * cell's init and first run), warm round trip; and the floors in the same run: {@code docker run} to the first
 * HTTP answer, and a raw keep-alive HTTP round trip to the same warm container.
 */
final class ContainerBench {
    private final int starts;
    private final int warmRuns;
    private final int warmupWindows;
    private final String poolPrefix = "bench-c" + ProcessHandle.current().pid() + "-";
    private final Footprint footprint = new Footprint(poolPrefix);

    ContainerBench(int starts, int warmRuns, int warmupWindows) {
        this.starts = starts;
        this.warmRuns = warmRuns;
        this.warmupWindows = warmupWindows;
    }

    void run(Path results) throws Exception {
        Vertx vertx = Vertx.vertx();
        DockerEngine docker = new DockerEngine(vertx, "unix:///var/run/docker.sock");
        RuntimeClient runtime = new RuntimeClient(vertx);
        OnContext on = new OnContext(vertx.getOrCreateContext(), Duration.ofSeconds(120));
        Report report = new Report("containers");
        try {
            for (Map.Entry<String, ActionSamples.Sample> e : ActionSamples.all().entrySet()) {
                String kind = e.getKey();
                ActionSamples.Sample sample = e.getValue();
                if (!on.call(() -> docker.imageExists(sample.image()))) {
                    System.out.println("skipping " + kind + ": image " + sample.image() + " is not built");
                    continue;
                }
                Samples raw = rawDockerRun(sample.image());
                report.row(kind + " floor: docker run to first HTTP answer", raw, Double.NaN);
                ContainerPool pool = pool(vertx, docker, runtime, List.of(new PrewarmSpec(sample.image(), 256, 1)));
                ContainerPool coldPool = pool(vertx, docker, runtime, List.of());
                try {
                    on.call(pool::start);
                    on.call(coldPool::start);
                    Samples cold = new Samples();
                    Samples prewarmed = new Samples();
                    for (int i = 0; i < starts; i++) {
                        // each start on a quiet engine, as the floor's: not while the stem cell taken by the
                        // previous start is being replaced
                        awaitStemCell(on, pool);
                        cold.addNanos(firstResult(on, coldPool, docker, runtime, sample));
                        prewarmed.addNanos(firstResult(on, pool, docker, runtime, sample));
                    }
                    report.row(kind + " cold start (create to first result)", cold, raw.median());
                    report.row(kind + " prewarmed start (stem cell to first result)", prewarmed, raw.median());
                    warm(on, pool, runtime, sample, report, kind);
                } finally {
                    on.call(pool::close);
                    on.call(coldPool::close);
                }
            }
        } finally {
            runtime.close();
            docker.close();
            vertx.close().await();
        }
        report.print();
        System.out.println("wrote " + report.write(results));
    }

    private static void awaitStemCell(OnContext on, ContainerPool pool) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (on.call(() -> io.vertx.core.Future.succeededFuture(pool.stemCells())) < 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no stem cell within 60 s");
            }
            Thread.sleep(20);
        }
    }

    /** A pool as the invoker's: it opens a connection to each stem cell ahead of the {@code /init} that takes it. */
    private ContainerPool pool(Vertx vertx, DockerEngine docker, RuntimeClient runtime, List<PrewarmSpec> prewarm) {
        String name = poolPrefix + UUID.randomUUID().toString().substring(0, 6);
        return new ContainerPool(vertx, docker, new PoolConfig(name, 4096, "wisp-actions", true, Duration.ZERO,
                Duration.ofMinutes(10), prewarm), runtime);
    }

    /** Acquire, init and run one new action: a stem cell if the pool has one, else a new container. */
    private static long firstResult(OnContext on, ContainerPool pool, DockerEngine docker, RuntimeClient runtime,
                                    ActionSamples.Sample sample) throws Exception {
        String key = "bench/" + UUID.randomUUID() + "@1";
        long t0 = System.nanoTime();
        PooledContainer c = on.call(() -> pool.acquire(new ContainerPool.Request(key, sample.image(), 256, 1, true)));
        RunResult init = on.call(() -> runtime.init(c.endpoint(), sample.init(), 30_000));
        check(init, "init");
        c.markInitialized();
        RunResult run = on.call(() -> runtime.run(c.endpoint(), runBody(), 30_000, 1 << 20));
        long elapsed = System.nanoTime() - t0;
        check(run, "run");
        on.run(() -> pool.destroy(c));
        on.call(() -> docker.remove(c.id())); // gone (or going) before the next start, as the floor's `docker rm -f`
        return elapsed;
    }

    private void warm(OnContext on, ContainerPool pool, RuntimeClient runtime, ActionSamples.Sample sample,
                      Report report, String kind) throws Exception {
        String key = "bench/warm-" + kind + "@1";
        PooledContainer c = on.call(() -> pool.acquire(new ContainerPool.Request(key, sample.image(), 256, 1, true)));
        check(on.call(() -> runtime.init(c.endpoint(), sample.init(), 30_000)), "init");
        c.markInitialized();
        String body = Json.encodeToString(runBody());
        Samples rawHttp = new Samples();
        Samples viaClient = new Samples();
        Footprint.Usage usage;
        try (RawHttp http = new RawHttp(c.endpoint().host(), c.endpoint().port(), c.endpoint().token())) {
            int perWindow = Math.max(10, warmRuns / 5);
            report.note(Warmup.until("of the " + kind + " warm round trip", "ms p50", warmupWindows, () -> {
                Samples w = new Samples();
                for (int i = 0; i < perWindow; i++) {
                    http.post("/run", body);
                    long t0 = System.nanoTime();
                    on.call(() -> runtime.run(c.endpoint(), runBody(), 30_000, 1 << 20));
                    w.addNanos(System.nanoTime() - t0);
                }
                return w.median();
            }));
            Footprint.Window fw = footprint.start();
            for (int i = 0; i < warmRuns; i++) {
                long t0 = System.nanoTime();
                int status = http.post("/run", body);
                rawHttp.addNanos(System.nanoTime() - t0);
                if (status != 200) {
                    throw new IllegalStateException("raw /run answered " + status);
                }
                long t1 = System.nanoTime();
                on.call(() -> runtime.run(c.endpoint(), runBody(), 30_000, 1 << 20));
                viaClient.addNanos(System.nanoTime() - t1);
            }
            usage = fw.stop(2L * warmRuns);
        }
        report.row(kind + " floor: raw HTTP round trip to the warm container", rawHttp, Double.NaN);
        report.row(kind + " warm round trip (runtime client, logs returned)", viaClient, rawHttp.median());
        report.footprint(kind + " warm round trips, raw and runtime client alternating", usage);
        on.run(() -> pool.destroy(c));
    }

    private static ObjectNode runBody() {
        ObjectNode body = Json.object();
        body.set("value", Json.object().put("name", "bench"));
        body.put("namespace", "bench").put("action_name", "/bench/hello").put("activation_id",
                UUID.randomUUID().toString().replace("-", "")).put("transaction_id", "bench").put("deadline", "0");
        return body;
    }

    private static void check(RunResult r, String step) {
        if (r.status() != 200) {
            throw new IllegalStateException(step + " failed: status " + r.status() + " " + r.body() + " " + r.failure());
        }
    }

    /** {@code docker run} of the runtime image (CLI, as a user would) until its port answers HTTP. */
    private Samples rawDockerRun(String image) throws IOException, InterruptedException {
        Samples s = new Samples();
        for (int i = 0; i < starts; i++) {
            String name = "wisp-bench-raw-" + UUID.randomUUID().toString().substring(0, 8);
            long t0 = System.nanoTime();
            exec("docker", "run", "-d", "--rm", "--name", name, "-p", "127.0.0.1::8080", image);
            String port = exec("docker", "port", name, "8080/tcp").lines().findFirst().orElseThrow().trim();
            int p = Integer.parseInt(port.substring(port.lastIndexOf(':') + 1));
            while (!RawHttp.answers("127.0.0.1", p)) {
                Thread.sleep(2);
            }
            s.addNanos(System.nanoTime() - t0);
            exec("docker", "rm", "-f", name);
        }
        return s;
    }

    private static String exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
