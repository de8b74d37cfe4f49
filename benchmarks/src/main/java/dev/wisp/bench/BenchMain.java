package dev.wisp.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./wisp bench [scenario ...] [--smoke]}: runs benchmark scenarios on the real components, prints a table
 * per scenario and writes JSON under {@code results/}. {@code --smoke} runs each with few samples, to keep the
 * programs working; its figures mean nothing.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> list = List.of(args);
        boolean smoke = list.contains("--smoke");
        List<String> scenarios = list.stream().filter(a -> !a.startsWith("--")).toList();
        if (scenarios.isEmpty()) {
            scenarios = List.of("invoke", "containers");
        }
        Path results = Path.of(System.getProperty("wisp.results", "results"));
        for (String scenario : scenarios) {
            switch (scenario) {
                case "containers" -> new ContainerBench(smoke ? 2 : 10, smoke ? 20 : 500).run(results);
                case "invoke" -> new InvokeBench(smoke ? 20 : 300).run(results);
                default -> throw new IllegalArgumentException("unknown scenario '" + scenario
                        + "'; known: invoke, containers");
            }
        }
        System.exit(0);
    }
}
