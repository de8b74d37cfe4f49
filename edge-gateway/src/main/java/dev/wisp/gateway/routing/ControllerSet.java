package dev.wisp.gateway.routing;

import dev.wisp.common.zookeeper.MemberInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The controllers the gateway may route to: those announced in ZooKeeper (updated on Curator's thread) that also
 * pass the gateway's own health checks (updated on the event loop). A controller that stops answering is skipped
 * at once, well before its ZooKeeper session expires. Each pick takes the next healthy one, round robin.
 */
public final class ControllerSet {
    private volatile List<MemberInfo> announced = List.of();
    private final Set<String> down = ConcurrentHashMap.newKeySet();
    private final AtomicInteger next = new AtomicInteger();

    /** Replaces the announced set; called by the ZooKeeper watch. */
    public void update(Map<String, MemberInfo> members) {
        announced = members.values().stream().filter(m -> MemberInfo.HEALTHY.equals(m.state()))
                .sorted(Comparator.comparing(MemberInfo::id)).toList();
        down.retainAll(announced.stream().map(MemberInfo::id).toList());
    }

    /** The next controller to use, skipping {@code except} (one that just failed) when another exists. */
    public Optional<MemberInfo> pick(String except) {
        List<MemberInfo> usable = healthy();
        if (usable.isEmpty()) {
            // Every controller missed its pings: on a machine that is merely overloaded they still answer, so try
            // them all rather than refuse; a dead one refuses the connection and the proxy moves on.
            usable = announced;
        }
        if (usable.isEmpty()) {
            return Optional.empty();
        }
        if (except != null && usable.size() > 1) {
            usable = usable.stream().filter(m -> !m.id().equals(except)).toList();
        }
        return Optional.of(usable.get(Math.floorMod(next.getAndIncrement(), usable.size())));
    }

    public Optional<MemberInfo> pick() {
        return pick(null);
    }

    /** Announced controllers that are not marked down. */
    public List<MemberInfo> healthy() {
        return announced.stream().filter(m -> !down.contains(m.id())).toList();
    }

    /** Every announced controller, for the health checker. */
    public List<MemberInfo> announced() {
        return announced;
    }

    public void markDown(String id) {
        down.add(id);
    }

    public void markUp(String id) {
        down.remove(id);
    }

    public boolean isDown(String id) {
        return down.contains(id);
    }
}
