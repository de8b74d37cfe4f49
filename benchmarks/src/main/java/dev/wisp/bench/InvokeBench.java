package dev.wisp.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Invokes through the whole real path (gateway, controller, Kafka, invoker, warm container, store) on a
 * standalone Wisp: warm blocking latency at concurrency 1, 4 and 16, non-blocking accept latency, a new action's
 * first invoke, and 100 distinct actions round robin. Floors in the same run: two raw Kafka hops plus a raw HTTP
 * round trip to the warm container, and one acks=all produce.
 */
final class InvokeBench {
    private static final String NOOP = "function main(p) { return {}; }";
    private final int samples;
    private BenchWisp wisp;
    /** Warm blocking latencies per concurrency, for the latency plot. */
    final java.util.Map<Integer, Samples> warm = new java.util.TreeMap<>();
    Samples warmFloor;

    InvokeBench(int samples) {
        this.samples = samples;
    }

    Report run(Path results) throws Exception {
        Report report = new Report("invoke");
        try (BenchWisp started = new BenchWisp(16384)) {
            wisp = started;
            put("noop", 256);
            for (int i = 0; i < samples; i++) {
                invoke("noop", true);
            }
            try (KafkaFloor kafka = new KafkaFloor(wisp.kafkaBootstrap());
                 RawHttp container = warmContainer(wisp.invokerName())) {
                byte[] msg = new byte[512];
                for (int i = 0; i < samples; i++) {
                    kafka.twoHops(msg);
                    kafka.produce(msg);
                }
                Samples hops = new Samples();
                Samples produce = new Samples();
                Samples raw = new Samples();
                for (int i = 0; i < samples; i++) {
                    hops.addNanos(kafka.twoHops(msg));
                    produce.addNanos(kafka.produce(msg));
                    long t0 = System.nanoTime();
                    container.post("/run", "{\"value\":{}}");
                    raw.addNanos(System.nanoTime() - t0);
                }
                double floor = hops.median() + raw.median();
                warmFloor = new Samples();
                for (int i = 0; i < Math.min(hops.count(), raw.count()); i++) {
                    warmFloor.add(hops.value(i) + raw.value(i));
                }
                report.row("floor: 2 Kafka hops", hops, Double.NaN);
                report.row("floor: raw HTTP to the warm container", raw, Double.NaN);
                for (int c : new int[] {1, 4, 16}) {
                    Samples lat = concurrent("noop", c, samples * c);
                    warm.put(c, lat);
                    report.row("warm blocking invoke, concurrency " + c, lat, floor);
                }
                report.row("floor: one acks=all produce", produce, Double.NaN);
                Samples accept = new Samples();
                for (int i = 0; i < samples; i++) {
                    accept.addNanos(invoke("noop", false));
                }
                report.row("non-blocking accept", accept, produce.median());
            }
            Samples first = new Samples();
            for (int i = 0; i < Math.min(20, samples); i++) {
                // the stem cell the previous new action took is replaced within about a second (a docker run):
                // measure a new action that finds one, not one that arrives while its replacement boots
                Thread.sleep(2_000);
                put("new" + i, 256);
                first.addNanos(invoke("new" + i, true));
            }
            report.row("first invoke of a new action (stem cell)", first, Double.NaN);
            roundRobin(report);
        }
        report.print();
        System.out.println("wrote " + report.write(results));
        return report;
    }

    /** 100 distinct actions, 16 clients, each taking the next action in turn; reports the rate it sustains. */
    private void roundRobin(Report report) throws Exception {
        int actions = 100;
        for (int i = 0; i < actions; i++) {
            put("rr" + i, 128);
            invoke("rr" + i, true);
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        long t0 = System.nanoTime();
        List<Future<Long>> calls = new ArrayList<>();
        int total = samples * 10;
        for (int i = 0; i < total; i++) {
            String name = "rr" + (i % actions);
            calls.add(pool.submit(() -> invoke(name, true)));
        }
        Samples lat = new Samples();
        for (Future<Long> f : calls) {
            lat.addNanos(f.get());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        report.row(String.format("100 actions round robin, 16 clients: %.0f invokes/s", total / seconds), lat, Double.NaN);
    }

    private Samples concurrent(String action, int clients, int total) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<Long>> calls = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            calls.add(pool.submit(() -> invoke(action, true)));
        }
        Samples s = new Samples();
        for (Future<Long> f : calls) {
            s.addNanos(f.get());
        }
        pool.shutdown();
        return s;
    }

    private void put(String name, int memory) throws IOException, InterruptedException {
        wisp.putNode(name, NOOP, memory);
    }

    private long invoke(String action, boolean blocking) throws IOException, InterruptedException {
        return wisp.invoke(action, blocking);
    }

    /** A keep-alive connection to the noop action's warm container (found through its published port). */
    static RawHttp warmContainer(String invokerName) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("docker", "ps", "--filter", "label=wisp.invoker=" + invokerName,
                "--format", "{{.Ports}}").redirectErrorStream(true).start();
        List<String> ports = new String(p.getInputStream().readAllBytes()).lines().filter(l -> l.contains("->")).toList();
        p.waitFor();
        for (String line : ports) {
            int port = Integer.parseInt(line.substring(line.indexOf(':') + 1, line.indexOf("->")));
            RawHttp http = new RawHttp("127.0.0.1", port, null);
            try {
                if (http.post("/run", "{\"value\":{}}") == 200) {
                    return http;
                }
            } catch (IOException e) {
                // a stem cell not initialized, try the next
            }
            http.close();
        }
        throw new IllegalStateException("no warm container found");
    }
}
