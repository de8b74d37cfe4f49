package dev.wisp.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./wisp bench [scenario ...] [--smoke]}: runs benchmark scenarios on the real components, prints a table
 * per scenario, writes JSON and PNG plots under {@code results/}. {@code --smoke} runs each with few samples, to
 * keep the programs working; its figures mean nothing. {@code soak} runs only when named
 * ({@code ./wisp bench soak [--minutes=30] [--seed=S]}).
 */
public final class BenchMain {
    static final List<String> ALL = List.of("invoke", "throughput", "containers", "fanout");

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> list = List.of(args);
        boolean smoke = list.contains("--smoke");
        List<String> scenarios = list.stream().filter(a -> !a.startsWith("--")).toList();
        if (scenarios.isEmpty()) {
            scenarios = ALL;
        }
        Path results = Path.of(System.getProperty("wisp.results", "results"));
        for (String scenario : scenarios) {
            switch (scenario) {
                case "containers" -> new ContainerBench(smoke ? 2 : 10, smoke ? 20 : 500).run(results);
                case "invoke" -> {
                    InvokeBench b = new InvokeBench(smoke ? 20 : 300);
                    b.run(results);
                    plotLatency(b, results);
                }
                case "throughput" -> {
                    ThroughputBench b = new ThroughputBench(Duration.ofSeconds(smoke ? 2 : 15));
                    b.run(results);
                    plotThroughput(b, results);
                }
                case "fanout" -> new FanoutBench(smoke ? 2 : 20).run(results);
                case "soak" -> new SoakBench(Duration.ofMinutes(smoke ? 3 : flag(list, "--minutes=", 30)),
                        flag(list, "--seed=", System.currentTimeMillis())).run(results);
                default -> throw new IllegalArgumentException("unknown scenario '" + scenario
                        + "'; known: " + String.join(", ", ALL) + ", soak");
            }
        }
        System.exit(0);
    }

    private static long flag(List<String> args, String prefix, long fallback) {
        return args.stream().filter(a -> a.startsWith(prefix)).map(a -> Long.parseLong(a.substring(prefix.length())))
                .findFirst().orElse(fallback);
    }

    private static void plotLatency(InvokeBench b, Path results) throws Exception {
        Plot p = new Plot("Warm blocking invoke through the gateway: latency distribution", "latency (ms, log)",
                "percentile", true).yMax(100);
        for (Map.Entry<Integer, Samples> e : b.warm.entrySet()) {
            p.series("concurrency " + e.getKey(), cdf(e.getValue()));
        }
        if (b.warmFloor != null) {
            p.series("floor: 2 Kafka hops + raw HTTP", cdf(b.warmFloor));
        }
        System.out.println("wrote " + p.write(results.resolve("latency.png")));
    }

    private static void plotThroughput(ThroughputBench b, Path results) throws Exception {
        Plot c = new Plot("Blocking no-op invokes, 1 invoker: throughput against concurrency", "concurrent clients (log)",
                "invokes per second", true);
        c.series("Wisp", points(b.byConcurrency));
        List<double[]> floor = new ArrayList<>();
        b.byConcurrency.keySet().forEach(k -> floor.add(new double[] {k, b.floorRate}));
        c.series("floor: raw Kafka request/reply, " + ThroughputBench.CLIENTS + " in flight", floor);
        System.out.println("wrote " + c.write(results.resolve("throughput-concurrency.png")));
        Plot i = new Plot("Throughput against invoker count", "invokers", "invokes per second", false);
        b.byInvokers.forEach((action, rates) -> i.series(action, points(rates)));
        System.out.println("wrote " + i.write(results.resolve("throughput-invokers.png")));
    }

    private static List<double[]> cdf(Samples s) {
        List<Double> sorted = s.sorted();
        List<double[]> pts = new ArrayList<>();
        for (int k = 0; k < sorted.size(); k++) {
            pts.add(new double[] {sorted.get(k), 100.0 * (k + 1) / sorted.size()});
        }
        return pts;
    }

    private static List<double[]> points(Map<Integer, Double> m) {
        List<double[]> pts = new ArrayList<>();
        m.forEach((k, v) -> pts.add(new double[] {k, v}));
        return pts;
    }
}
