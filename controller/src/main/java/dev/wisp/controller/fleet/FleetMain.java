package dev.wisp.controller.fleet;

import dev.wisp.common.codec.Json;
import dev.wisp.common.config.Settings;
import dev.wisp.common.zookeeper.Zk;
import dev.wisp.controller.zookeeper.FleetNodes;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;

/**
 * {@code ./wisp fleet [list|json|drain invokerN] --zookeeper.connect=HOST:PORT}: the operator's view of the
 * invokers and controllers, and the drain command.
 */
public final class FleetMain {
    private FleetMain() {
    }

    public static void main(String[] args) throws Exception {
        Settings s = Settings.load(args, System.getenv());
        String connect = s.required("zookeeper.connect");
        s.check();
        String[] words = java.util.Arrays.stream(args).filter(a -> !a.startsWith("--")).toArray(String[]::new);
        String command = words.length == 0 ? "list" : words[0];
        try (CuratorFramework zk = Zk.connect(connect, Duration.ofSeconds(10))) {
            switch (command) {
                case "list" -> print(Fleet.read(new FleetNodes(zk)));
                case "json" -> System.out.println(Json.mapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsString(Fleet.read(new FleetNodes(zk))));
                case "drain" -> {
                    if (words.length < 2) {
                        throw new IllegalArgumentException("usage: drain invokerN");
                    }
                    Fleet.drain(new FleetNodes(zk), words[1]);
                    System.out.println(words[1] + " asked to drain: it takes no new work, finishes what it has,"
                            + " then leaves (watch it with: ./wisp fleet list)");
                }
                default -> throw new IllegalArgumentException("unknown command '" + command + "'; use list, json or drain");
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    private static void print(Fleet.Snapshot f) {
        System.out.printf("%-10s %-24s %-13s %9s %9s %10s %8s %7s%n", "INVOKER", "NAME", "STATE", "MEMORY", "USED",
                "CONTAINERS", "BACKLOG", "ADMIN");
        for (Fleet.InvokerView i : f.invokers()) {
            System.out.printf("%-10s %-24s %-13s %7dMB %7dMB %10d %8d %7s%n", i.id(), i.name(), i.state(),
                    i.memoryMb(), i.usedMb(), i.containers(), i.backlog(), i.adminPort() == 0 ? "-" : i.adminPort());
        }
        System.out.printf("%n%-12s %s%n", "CONTROLLER", "ADDRESS");
        for (Fleet.ControllerView c : f.controllers()) {
            System.out.printf("%-12s %s:%d%n", c.id(), c.host(), c.port());
        }
    }
}
