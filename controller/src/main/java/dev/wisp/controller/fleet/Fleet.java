package dev.wisp.controller.fleet;

import dev.wisp.common.codec.Json;
import dev.wisp.common.zookeeper.MemberInfo;
import dev.wisp.common.zookeeper.ZkPaths;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

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

    public static Snapshot read(CuratorFramework zk) throws Exception {
        long now = System.currentTimeMillis();
        Map<String, InvokerView> invokers = new TreeMap<>();
        for (String name : children(zk, ZkPaths.INVOKER_IDS)) {
            String n = new String(zk.getData().forPath(ZkPaths.INVOKER_IDS + "/" + name), StandardCharsets.UTF_8).trim();
            invokers.put("invoker" + n, new InvokerView("invoker" + n, name, "offline", 0, 0, 0, 0, 0, -1));
        }
        for (MemberInfo m : members(zk, ZkPaths.INVOKERS_LIVE)) {
            long age = m.heartbeat() == 0 ? -1 : now - m.heartbeat();
            String state = age > STALE_MILLIS ? "unresponsive" : m.state();
            invokers.put(m.id(), new InvokerView(m.id(), m.host(), state, m.memoryMb(), m.usedMb(), m.containers(),
                    m.backlog(), m.port(), age));
        }
        List<ControllerView> controllers = members(zk, ZkPaths.CONTROLLERS_LIVE).stream()
                .map(m -> new ControllerView(m.id(), m.host(), m.port()))
                .sorted(Comparator.comparing(ControllerView::id)).toList();
        List<InvokerView> sorted = new ArrayList<>(invokers.values());
        sorted.sort(Comparator.comparingInt(v -> Integer.parseInt(v.id().substring("invoker".length()))));
        return new Snapshot(sorted, controllers);
    }

    /** Asks an invoker to drain: it stops taking work, finishes what it has, and leaves. */
    public static void drain(CuratorFramework zk, String invoker) throws Exception {
        if (!invoker.matches("invoker\\d+")) {
            throw new IllegalArgumentException("not an invoker id: " + invoker + " (expected e.g. invoker1)");
        }
        try {
            zk.create().creatingParentsIfNeeded().forPath(ZkPaths.INVOKER_DRAIN + "/" + invoker);
        } catch (KeeperException.NodeExistsException e) {
            // already asked
        }
    }

    private static List<String> children(CuratorFramework zk, String path) throws Exception {
        return zk.checkExists().forPath(path) == null ? List.of() : zk.getChildren().forPath(path);
    }

    private static List<MemberInfo> members(CuratorFramework zk, String path) throws Exception {
        List<MemberInfo> out = new ArrayList<>();
        for (String child : children(zk, path)) {
            try {
                out.add(Json.decode(zk.getData().forPath(path + "/" + child), MemberInfo.class));
            } catch (KeeperException.NoNodeException e) {
                // left meanwhile
            }
        }
        return out;
    }
}
