package dev.wisp.gateway.routing;

import dev.wisp.common.zookeeper.MemberInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The controllers the gateway may route to, updated from ZooKeeper on Curator's thread and read on the event
 * loop; each pick takes the next one round robin.
 */
public final class ControllerSet {
    private volatile List<MemberInfo> live = List.of();
    private final AtomicInteger next = new AtomicInteger();

    /** Replaces the set; called by the ZooKeeper watch. */
    public void update(Map<String, MemberInfo> members) {
        live = members.values().stream().filter(m -> "healthy".equals(m.state()))
                .sorted(Comparator.comparing(MemberInfo::id)).toList();
    }

    public Optional<MemberInfo> pick() {
        List<MemberInfo> now = live;
        if (now.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(now.get(Math.floorMod(next.getAndIncrement(), now.size())));
    }

    public List<MemberInfo> all() {
        return live;
    }
}
