package dev.wisp.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./wisp bench [scenario ...] [--smoke]}: runs benchmark scenarios on the real components, prints a table
 * per scenario, writes JSON and PNG plots under {@code results/}. {@code --smoke} runs each with few samples, to
 * keep the programs working; its figures mean nothing. {@code --samples=N} (invoke) and {@code --seconds=N}
 * (throughput) shorten a real run; {@code --runs=N} sets how many times {@code standalone} starts Wisp. {@code soak}
 * runs only when named ({@code ./wisp bench soak [--minutes=30] [--seed=S]}). {@code --set=key=value} (repeatable)
 * starts each Wisp with that setting over the bench's own, to compare settings.
 */
public final class BenchMain {
    static final List<String> ALL = List.of("invoke", "throughput", "containers", "fanout", "standalone");

    private BenchMain() {
    }

    /** What {@code ./wisp bench help} prints, and a mistaken command line with its mistake. */
    static final String USAGE = """
            usage: ./wisp bench [scenario ...] [flags]
              scenarios: invoke, throughput, containers, fanout, standalone (all of them when none is named);
                         soak runs only when named
              --smoke            each scenario briefly, to check the programs work (its figures mean nothing)
              --samples=N        invoke: samples per measure (300)
              --seconds=N        throughput: seconds per window (15)
              --runs=N           standalone: how many times Wisp starts (5)
              --minutes=N        soak: how long (30)      --seed=S   soak: its random seed
              --set=key=value    start each Wisp with this setting over the bench's own (repeatable)
            results (tables as JSON, PNG plots) go to results/""";
    private static final List<String> VALUED = List.of("--samples=", "--seconds=", "--runs=", "--minutes=", "--seed=");

    public static void main(String[] args) throws Exception {
        List<String> list = List.of(args);
        if (list.stream().anyMatch(a -> a.equals("help") || a.equals("-h") || a.equals("--help"))) {
            System.out.println(USAGE);
            return;
        }
        String mistake = mistake(list);
        if (mistake != null) {
            System.err.println("wisp bench: " + mistake + "\n" + USAGE);
            System.exit(2);
        }
        boolean smoke = list.contains("--smoke");
        list.stream().filter(a -> a.startsWith("--set=")).forEach(a -> BenchWisp.override(a.substring("--set=".length())));
        List<String> scenarios = list.stream().filter(a -> !a.startsWith("--")).toList();
        if (scenarios.isEmpty()) {
            scenarios = ALL;
        }
        // warm-up windows at most, until two successive ones agree (a smoke run: one, it only checks the programs work)
        int warmups = smoke ? 1 : 10;
        Path results = Path.of(System.getProperty("wisp.results", "results"));
        for (String scenario : scenarios) {
            switch (scenario) {
                case "containers" -> new ContainerBench(smoke ? 1 : 10, smoke ? 20 : 500, warmups).run(results);
                case "invoke" -> {
                    InvokeBench b = new InvokeBench(smoke ? 10 : (int) flag(list, "--samples=", 300), warmups);
                    b.run(results);
                    plotLatency(b, results);
                }
                case "throughput" -> {
                    ThroughputBench b = new ThroughputBench(Duration.ofSeconds(smoke ? 1 : flag(list, "--seconds=", 15)),
                            warmups, smoke);
                    b.run(results);
                    plotThroughput(b, results);
                }
                case "standalone" -> new StandaloneBench(smoke ? 1 : (int) flag(list, "--runs=", 5), smoke ? 100 : 1000,
                        smoke ? 100 : 2000, smoke ? 50 : 100, Duration.ofSeconds(smoke ? 1 : 5),
                        Duration.ofSeconds(smoke ? 1 : 45)).run(results);
                case "fanout" -> new FanoutBench(smoke ? 1 : 20, warmups).run(results);
                case "soak" -> new SoakBench(Duration.ofMinutes(smoke ? 3 : flag(list, "--minutes=", 30)),
                        flag(list, "--seed=", System.currentTimeMillis())).run(results);
                default -> throw new IllegalStateException("unchecked scenario " + scenario);
            }
        }
        System.exit(0);
    }

    /** What is wrong with the command line, before anything starts, or null. */
    static String mistake(List<String> args) {
        for (String a : args) {
            if (a.equals("--smoke") || (a.startsWith("--set=") && a.indexOf('=', "--set=".length()) > "--set=".length())) {
                continue;
            }
            String prefix = VALUED.stream().filter(a::startsWith).findFirst().orElse(null);
            if (prefix != null) {
                String value = a.substring(prefix.length());
                if (!value.matches("[0-9]{1,12}") || (!prefix.equals("--seed=") && Long.parseLong(value) == 0)) {
                    return "'" + a + "' needs a whole number" + (prefix.equals("--seed=") ? "" : " above 0");
                }
                continue;
            }
            if (a.startsWith("-")) {
                return "unknown flag '" + a + "'";
            }
            if (!ALL.contains(a) && !a.equals("soak")) {
                return "unknown scenario '" + a + "'";
            }
        }
        return null;
    }

    private static long flag(List<String> args, String prefix, long fallback) {
        return args.stream().filter(a -> a.startsWith(prefix)).map(a -> Long.parseLong(a.substring(prefix.length())))
                .findFirst().orElse(fallback);
    }

    private static void plotLatency(InvokeBench b, Path results) throws Exception {
        Plot p = new Plot("Warm blocking invoke through the gateway: latency distribution", "latency (ms, log)",
                "percentile", true).yMax(100);
        for (Map.Entry<Integer, Samples> e : b.warm.entrySet()) {
            p.series("Wisp, warm blocking invoke, concurrency " + e.getKey(), cdf(e.getValue()));
        }
        if (b.warmFloor != null) {
            p.reference("floor: whole chain without Wisp, one at a time (Kafka hop, HTTP to the warm container, Kafka hop)",
                    cdf(b.warmFloor));
        }
        System.out.println("wrote " + p.write(results.resolve("latency.png")));
    }

    /** Issue 17's anchors, per core, times this machine's cores. */
    private static final double OPENWHISK_PER_CORE = 170;
    private static final double NUCLIO_PER_CORE = 1400;

    private static void plotThroughput(ThroughputBench b, Path results) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        Plot c = new Plot("Blocking no-op invokes on 1 invoker, " + cores + " cores: throughput",
                "concurrent clients (log)", "invokes per second (log)", true).logY();
        c.series("Wisp (gateway, controller, Kafka, invoker, container, durable record)", points(b.byConcurrency));
        c.reference("floor: whole chain without Wisp at the same concurrency (Kafka hop, HTTP to a warm container, "
                + "Kafka hop)", points(b.floorByConcurrency));
        c.reference(String.format(Locale.ROOT, "anchor: OpenWhisk, one hot action, ~%.0f/core x %d cores "
                + "(apache/openwhisk #3501)", OPENWHISK_PER_CORE, cores), flat(b.byConcurrency, OPENWHISK_PER_CORE * cores));
        c.reference(String.format(Locale.ROOT, "anchor: Nuclio Java, no container hop nor durability, ~%.0f/core x %d cores",
                NUCLIO_PER_CORE, cores), flat(b.byConcurrency, NUCLIO_PER_CORE * cores));
        c.reference("target: 1,500/s on one invoker (issue 17)", flat(b.byConcurrency, 1500));
        System.out.println("wrote " + c.write(results.resolve("throughput-concurrency.png")));
        Plot cpu = new Plot("CPU per blocking no-op invoke, every process (/proc), 1 invoker",
                "concurrent clients (log)", "CPU ms per invoke", true);
        cpu.series("Wisp (its JVM with the bench client, PouchDB, Kafka broker, containers, shims, dockerd, containerd, "
                + "docker-proxy)",
                points(b.cpuByConcurrency));
        cpu.reference("floor: whole chain without Wisp (JVM with Kafka and the loop, containers, docker)",
                points(b.floorCpuByConcurrency));
        cpu.reference("target: 1.2 ms (issue 17)", flat(b.cpuByConcurrency, 1.2));
        System.out.println("wrote " + cpu.write(results.resolve("cpu-per-invoke.png")));
        Plot i = new Plot("Blocking invokes against invoker count", "invokers", "invokes per second", false).integerX();
        b.byInvokers.forEach((action, rates) -> i.series(action.equals("noop")
                ? "no-op action, " + ThroughputBench.CLIENTS + " clients"
                : "action that waits 100 ms (" + action + "), " + ThroughputBench.CLIENTS * 2 + " clients", points(rates)));
        System.out.println("wrote " + i.write(results.resolve("throughput-invokers.png")));
    }

    private static List<double[]> flat(Map<Integer, Double> xs, double y) {
        List<double[]> pts = new ArrayList<>();
        xs.keySet().forEach(k -> pts.add(new double[] {k, y}));
        return pts;
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
        m.forEach((k, v) -> {
            if (!v.isNaN()) {
                pts.add(new double[] {k, v});
            }
        });
        return pts;
    }
}
