package dev.wisp.controller.fleet;

import dev.wisp.common.zookeeper.MemberInfo;
import dev.wisp.common.zookeeper.ZkPaths;
import dev.wisp.controller.zookeeper.FleetNodes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What operators see of the cluster, read from ZooKeeper: every invoker ever registered with its state
 * (healthy, unhealthy, draining, unresponsive when its heartbeat is stale, offline when it is not announced),
 * capacity and backlog; and the live controllers. Blocking: call off the event loop.
 */
public final class Fleet {
    /** An invoker whose announced heartbeat is older than this is reported unresponsive. */
    public static final long STALE_MILLIS = 10_000;

    private Fleet() {
    }

    /** One invoker as operators see it. */
    public record InvokerView(String id, String name, String state, int memoryMb, int usedMb, int containers,
                              int backlog, int adminPort, long heartbeatAgeMs) {
        /** Memory not taken by containers. */
        @com.fasterxml.jackson.annotation.JsonProperty("freeMb")
        public int freeMb() {
            return Math.max(0, memoryMb - usedMb);
        }
    }

    /** One live controller. */
    public record ControllerView(String id, String host, int port) {
    }

    public record Snapshot(List<InvokerView> invokers, List<ControllerView> controllers) {
    }

    public static Snapshot read(FleetNodes nodes) throws Exception {
        long now = System.currentTimeMillis();
        Map<String, InvokerView> invokers = new TreeMap<>();
        for (Map.Entry<String, String> registered : nodes.registeredInvokers().entrySet()) {
            String id = "invoker" + registered.getValue();
            invokers.put(id, new InvokerView(id, registered.getKey(), "offline", 0, 0, 0, 0, 0, -1));
        }
        // An invoker asked to drain shows draining at once, though it announces so itself only once it has seen
        // the request (on a busy machine, seconds later).
        Set<String> drainAsked = new HashSet<>(nodes.drainRequests());
        for (MemberInfo m : nodes.members(ZkPaths.INVOKERS_LIVE)) {
            long age = m.heartbeat() == 0 ? -1 : now - m.heartbeat();
            String state = age > STALE_MILLIS ? "unresponsive"
                    : drainAsked.contains(m.id()) ? MemberInfo.DRAINING : m.state();
            invokers.put(m.id(), new InvokerView(m.id(), m.host(), state, m.memoryMb(), m.usedMb(), m.containers(),
                    m.backlog(), m.port(), age));
        }
        List<ControllerView> controllers = nodes.members(ZkPaths.CONTROLLERS_LIVE).stream()
                .map(m -> new ControllerView(m.id(), m.host(), m.port()))
                .sorted(Comparator.comparing(ControllerView::id)).toList();
        List<InvokerView> sorted = new ArrayList<>(invokers.values());
        sorted.sort(Comparator.comparingInt(v -> Integer.parseInt(v.id().substring("invoker".length()))));
        return new Snapshot(sorted, controllers);
    }

    /** Asks an invoker to drain: it stops taking work, finishes what it has, and leaves. */
    public static void drain(FleetNodes nodes, String invoker) throws Exception {
        if (!invoker.matches("invoker\\d+")) {
            throw new IllegalArgumentException("not an invoker id: " + invoker + " (expected e.g. invoker1)");
        }
        nodes.requestDrain(invoker);
    }
}
