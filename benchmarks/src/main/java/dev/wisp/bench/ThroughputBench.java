package dev.wisp.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sustained throughput of blocking invokes through the gateway: against concurrency on one invoker, and with 1
 * and then 3 invokers, for a no-op action (the platform's own cost) and an action that waits 100 ms (capacity
 * bound: more invokers, more containers). Floor in the same run: a raw Kafka request/reply loop with as many
 * requests in flight, on the same broker.
 */
final class ThroughputBench {
    static final int CLIENTS = 32;
    private static final int INVOKER_MB = 1024;
    private static final int ACTION_MB = 128;
    private final Duration window;
    /** Invokes per second against concurrency, one invoker, the no-op action. */
    final Map<Integer, Double> byConcurrency = new TreeMap<>();
    /** Invokes per second against invoker count, per action. */
    final Map<String, Map<Integer, Double>> byInvokers = new TreeMap<>();
    double floorRate;

    ThroughputBench(Duration window) {
        this.window = window;
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
            wisp.putNode("noop", "function main(p) { return {}; }", ACTION_MB);
            wisp.putNode("wait100", "function main(p) { return new Promise(r => setTimeout(() => r({}), 100)); }",
                    ACTION_MB);
            sustain(wisp, "noop", 64, window); // warm-up: as many containers as the highest concurrency uses, and JIT
            try (KafkaFloor kafka = new KafkaFloor(wisp.kafkaBootstrap())) {
                kafka.requestReplyRate(CLIENTS, window.dividedBy(2), new byte[512]);
                floorRate = kafka.requestReplyRate(CLIENTS, window, new byte[512]);
            }
            report.rate("floor: raw Kafka request/reply loop, " + CLIENTS + " in flight", floorRate, 0, Double.NaN);
            for (int c : new int[] {1, 4, 16, CLIENTS, 64}) {
                Run r = sustain(wisp, "noop", c, window);
                byConcurrency.put(c, r.rate());
                report.rate("no-op, 1 invoker, concurrency " + c, r.rate(), r.errors(), floorRate);
            }
            sustain(wisp, "wait100", CLIENTS * 2, window.dividedBy(2));
            measureInvokers(wisp, report, 1);
            wisp.addInvoker(INVOKER_MB);
            wisp.addInvoker(INVOKER_MB);
            wisp.awaitHealthyInvokers(3, Duration.ofSeconds(30));
            sustain(wisp, "wait100", CLIENTS * 2, window.dividedBy(2)); // new invokers' containers
            sustain(wisp, "noop", CLIENTS, window.dividedBy(2));
            measureInvokers(wisp, report, 3);
        }
        report.print();
        System.out.println("wrote " + report.write(results));
        return report;
    }

    private void measureInvokers(BenchWisp wisp, Report report, int invokers) throws Exception {
        for (String action : List.of("noop", "wait100")) {
            int clients = action.equals("noop") ? CLIENTS : CLIENTS * 2;
            Run r = sustain(wisp, action, clients, window);
            byInvokers.computeIfAbsent(action, a -> new TreeMap<>()).put(invokers, r.rate());
            report.rate(action + ", " + invokers + " invoker" + (invokers > 1 ? "s" : "") + ", concurrency "
                    + clients, r.rate(), r.errors(), action.equals("noop") ? floorRate : Double.NaN);
        }
    }

    /** {@code clients} closed-loop clients invoking {@code action} blocking for {@code window}. */
    static Run sustain(BenchWisp wisp, String action, int clients, Duration window) throws Exception {
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
                        wisp.invoke(action, true);
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
