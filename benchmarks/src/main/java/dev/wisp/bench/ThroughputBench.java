package dev.wisp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wisp.common.codec.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sustained throughput of blocking invokes through the gateway: against concurrency on one invoker, and with 1
 * and then 3 invokers, for a no-op action (the platform's own cost) and an action that waits 100 ms (capacity
 * bound: more invokers, more containers). Each rate is measured once it is stable (successive warm-up windows
 * within 5%). Floor in the same run, at each concurrency: the whole chain of an invoke without Wisp as a closed
 * loop (a Kafka hop, an HTTP call to a warm container of the same action, a Kafka hop) with as many requests in
 * flight. Every measure also reports the CPU milliseconds per invoke of every process involved, and an external
 * client, wrk, checks the benchmark's own client at one concurrency.
 */
final class ThroughputBench {
    static final int CLIENTS = 32;
    static final int[] CONCURRENCY = {1, 4, 16, CLIENTS, 64};
    private static final int INVOKER_MB = 1024;
    private static final int ACTION_MB = 128;
    private final Duration window;
    private final int warmupWindows;
    /** Invokes per second against concurrency, one invoker, the no-op action. */
    final Map<Integer, Double> byConcurrency = new TreeMap<>();
    /** The chain floor's rate against concurrency. */
    final Map<Integer, Double> floorByConcurrency = new TreeMap<>();
    /** CPU ms per invoke against concurrency, Wisp and its floor. */
    final Map<Integer, Double> cpuByConcurrency = new TreeMap<>();
    final Map<Integer, Double> floorCpuByConcurrency = new TreeMap<>();
    /** Invokes per second against invoker count, per action. */
    final Map<String, Map<Integer, Double>> byInvokers = new TreeMap<>();
    double floorRate;

    private final int[] concurrency;

    /** @param smoke only concurrency 1 and {@link #CLIENTS}, to check the program works */
    ThroughputBench(Duration window, int warmupWindows, boolean smoke) {
        this.window = window;
        this.warmupWindows = warmupWindows;
        this.concurrency = smoke ? new int[] {1, CLIENTS} : CONCURRENCY;
    }

    /** What one sustained run did. */
    record Run(long ok, long errors, double seconds) {
        double rate() {
            return ok / seconds;
        }
    }

    Report run(Path results) throws Exception {
        Report report = new Report("throughput");
        try (BenchWisp wisp = new BenchWisp(INVOKER_MB)) {
            Footprint footprint = new Footprint(wisp.invokerName());
            wisp.putNode("noop", "function main(p) { return {}; }", ACTION_MB);
            wisp.putNode("wait100", "function main(p) { return new Promise(r => setTimeout(() => r({}), 100)); }",
                    ACTION_MB);
            Duration warm = Duration.ofMillis(Math.max(500, window.toMillis() / 3));
            // as many containers as the highest concurrency uses, and the JIT: the first measure (concurrency 1)
            // would otherwise climb through all its warm-up windows
            sustain(wisp, "noop", 64, window);
            report.note(Warmup.until("of the whole path at concurrency 64 (containers, JIT)", "invokes/s",
                    warmupWindows, () -> sustain(wisp, "noop", 64, warm).rate()));
            List<RawHttp> containers = InvokeBench.warmContainers(wisp.invokerName(), 64);
            if (containers.isEmpty()) {
                throw new IllegalStateException("no warm container of the no-op action for the chain floor");
            }
            try (KafkaFloor kafka = new KafkaFloor(wisp.kafkaBootstrap())) {
                byte[] msg = new byte[512];
                for (int c : concurrency) {
                    List<RawHttp> workers = containers.subList(0, Math.min(c, containers.size()));
                    String floorName = "floor: chain (Kafka hop, HTTP to a warm container, Kafka hop), concurrency " + c;
                    report.note(Warmup.until("of the chain floor at concurrency " + c, "chains/s", warmupWindows,
                            () -> kafka.chainRate(c, warm, msg, workers)));
                    Footprint.Window fw = footprint.start();
                    double floor = kafka.chainRate(c, window, msg, workers);
                    Footprint.Usage fu = fw.stop(kafka.lastReplies);
                    floorByConcurrency.put(c, floor);
                    floorCpuByConcurrency.put(c, fu.cpuMsPerInvoke());
                    report.rate(floorName, floor, 0, Double.NaN);
                    report.footprint(floorName, fu);

                    String name = "no-op, 1 invoker, concurrency " + c;
                    report.note(Warmup.until("of no-op at concurrency " + c, "invokes/s", warmupWindows,
                            () -> sustain(wisp, "noop", c, warm).rate()));
                    Footprint.Window w = footprint.start();
                    Run r = sustain(wisp, "noop", c, window);
                    Footprint.Usage u = w.stop(r.ok());
                    byConcurrency.put(c, r.rate());
                    cpuByConcurrency.put(c, u.cpuMsPerInvoke());
                    report.rate(name, r.rate(), r.errors(), floor);
                    report.footprint(name, u);
                    if (c == CLIENTS) {
                        report.note(timeSplit(wisp, c, warm));
                        floorRate = floor;
                        externalCheck(wisp, footprint, report, c, r.rate());
                    }
                }
            } finally {
                for (RawHttp h : containers) {
                    h.close();
                }
            }
            sustain(wisp, "wait100", CLIENTS * 2, window.dividedBy(2));
            measureInvokers(wisp, footprint, report, 1);
            wisp.addInvoker(INVOKER_MB);
            wisp.addInvoker(INVOKER_MB);
            wisp.awaitHealthyInvokers(3, Duration.ofSeconds(30));
            sustain(wisp, "wait100", CLIENTS * 2, window.dividedBy(2)); // new invokers' containers
            sustain(wisp, "noop", CLIENTS, window.dividedBy(2));
            measureInvokers(wisp, footprint, report, 3);
        }
        report.print();
        System.out.println("wrote " + report.write(results));
        return report;
    }

    /**
     * Where a blocking invoke's time goes, from a short run at the same concurrency right after the measured one,
     * whose invokes ask for the whole record ({@code blocking=true} without {@code result}): per invoke the
     * client's latency, the record's {@code waitTime} (the controller's acceptance to the action's start in its
     * container: Kafka, the invoker's queue and the wait for a container) and {@code duration} (the action's
     * /init, if any, and its run), and what is left (client and gateway to the controller, and the completion's way
     * back through Kafka, the controller and the gateway). Means over every invoke of the run.
     */
    static String timeSplit(BenchWisp wisp, int clients, Duration window) throws Exception {
        double[] sums = new double[3];
        Run r = sustain(clients, window, () -> {
            long t0 = System.nanoTime();
            JsonNode a = Json.mapper().readTree(wisp.call("POST", "actions/noop?blocking=true", "{}", 200));
            double latency = (System.nanoTime() - t0) / 1e6;
            double wait = 0;
            for (JsonNode kv : a.path("annotations")) {
                if (kv.path("key").asText().equals("waitTime")) {
                    wait = kv.path("value").asDouble();
                }
            }
            synchronized (sums) {
                sums[0] += latency;
                sums[1] += wait;
                sums[2] += a.path("duration").asDouble();
            }
        });
        double count = Math.max(1, r.ok());
        double latency = sums[0] / count;
        double wait = sums[1] / count;
        double run = sums[2] / count;
        return String.format(Locale.ROOT, "where the time goes at concurrency %d (means over %d invokes asking for "
                + "the whole record): client latency %.1f ms = accepted to a container (waitTime) %.1f + "
                + "the action's init and run (duration) %.1f + the rest (client and gateway to the "
                + "controller, the completion back through Kafka, controller and gateway) %.1f",
                clients, r.ok(), latency, wait, run, latency - wait - run);
    }

    /** wrk against the gateway at the same concurrency, between two runs of the benchmark's own client. */
    private void externalCheck(BenchWisp wisp, Footprint footprint, Report report, int c, double own) throws Exception {
        if (!WrkCheck.available()) {
            report.note("external check skipped: wrk is not installed (apt-get install wrk)");
            return;
        }
        Footprint.Window w = footprint.start();
        WrkCheck.Result wrk = WrkCheck.run(wisp.blockingInvokeUrl("noop"), wisp.authorization(), c, window);
        String name = "no-op, 1 invoker, concurrency " + c + ", wrk as the client";
        report.rate(name, wrk.perSecond(), wrk.errors(), floorRate);
        report.footprint(name + " (wrk's own CPU not counted)",
                w.stop(Math.round(wrk.perSecond() * Math.max(1, window.toSeconds()))));
        // the machine's load moves between runs: compare wrk with the bench's client just before and just after
        double after = sustain(wisp, "noop", c, window).rate();
        report.note(WrkCheck.compare(c, wrk.perSecond(), own, after));
    }

    private void measureInvokers(BenchWisp wisp, Footprint footprint, Report report, int invokers) throws Exception {
        for (String action : List.of("noop", "wait100")) {
            int clients = action.equals("noop") ? CLIENTS : CLIENTS * 2;
            String name = action + ", " + invokers + " invoker" + (invokers > 1 ? "s" : "") + ", concurrency " + clients;
            // the invokers' memory holds the other action's containers until this one's replace them (cold starts):
            // measured once its rate is stable, not while its containers are being made
            report.note(Warmup.until("of " + name, "invokes/s", warmupWindows,
                    () -> sustain(wisp, action, clients, window.dividedBy(2)).rate()));
            Footprint.Window w = footprint.start();
            Run r = sustain(wisp, action, clients, window);
            byInvokers.computeIfAbsent(action, a -> new TreeMap<>()).put(invokers, r.rate());
            report.rate(name, r.rate(), r.errors(), action.equals("noop") ? floorRate : Double.NaN);
            report.footprint(name, w.stop(r.ok()));
        }
    }

    /** {@code clients} closed-loop clients invoking {@code action} blocking for {@code window}. */
    static Run sustain(BenchWisp wisp, String action, int clients, Duration window) throws Exception {
        return wisp.load(action, clients, window);
    }

    /** One call, as a client of a sustained run makes it again and again. */
    interface Call {
        void run() throws Exception;
    }

    /** {@code clients} threads making {@code call} back to back for {@code window}; a call that throws is an error. */
    static Run sustain(int clients, Duration window, Call call) throws Exception {
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long t0 = System.nanoTime();
        long end = t0 + window.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<java.util.concurrent.Future<?>> loops = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            loops.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    try {
                        call.run();
                        ok.incrementAndGet();
                    } catch (Exception e) {
                        if (errors.getAndIncrement() == 0) {
                            System.out.println("first error: " + e.getMessage());
                        }
                    }
                }
                return null;
            }));
        }
        for (java.util.concurrent.Future<?> f : loops) {
            f.get();
        }
        pool.shutdown();
        return new Run(ok.get(), errors.get(), (System.nanoTime() - t0) / 1e9);
    }
}
