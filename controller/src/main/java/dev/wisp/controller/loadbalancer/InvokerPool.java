package dev.wisp.controller.loadbalancer;

import dev.wisp.common.zookeeper.MemberInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.wisp.controller.zookeeper.DrainRequests;
import dev.wisp.controller.zookeeper.Members;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invokers registered in ZooKeeper, as an immutable list any thread may read. Only members announcing
 * themselves healthy receive work, and none an operator asked to drain: that one stops getting work as soon as
 * the request reaches this controller, even while the invoker (busy, or slow to hear of it) still announces
 * itself healthy.
 */
public final class InvokerPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InvokerPool.class);
    /** An invoker whose heartbeat is older than this is unresponsive and gets no work. */
    static final long STALE_MILLIS = 15_000;
    private final Members invokers;
    private final DrainRequests drains;
    private volatile List<MemberInfo> healthy = List.of();
    private Map<String, MemberInfo> members = Map.of();
    private Set<String> drainAsked = Set.of();

    /**
     * @param invokers the invokers announced in ZooKeeper, followed from now on
     * @param drains   the drain requests, followed from now on
     */
    public InvokerPool(Members invokers, DrainRequests drains) {
        this.invokers = invokers;
        this.drains = drains;
        invokers.follow(m -> {
            synchronized (this) {
                members = m;
                update();
            }
        });
        drains.follow(d -> {
            synchronized (this) {
                drainAsked = d;
                update();
            }
        });
    }

    private void update() {
        // Staleness is judged against the freshest heartbeat seen, not only the clock: when every heartbeat is
        // late (this controller's view lags, or the whole machine stalls) nobody is declared unresponsive.
        long freshest = members.values().stream().mapToLong(MemberInfo::heartbeat).max().orElse(0);
        long now = Math.min(System.currentTimeMillis(), freshest + STALE_MILLIS);
        List<MemberInfo> next = members.values().stream()
                .filter(m -> m.usable(now, STALE_MILLIS) && !drainAsked.contains(m.id()))
                .sorted(Comparator.comparing(MemberInfo::id))
                .toList();
        if (!next.stream().map(MemberInfo::id).toList().equals(healthy.stream().map(MemberInfo::id).toList())) {
            LOG.info("healthy invokers: {}", next.stream().map(MemberInfo::id).toList());
        }
        healthy = next;
    }

    /**
     * The healthy invokers, ordered by id. A heartbeat refreshes the list every few seconds; an invoker whose
     * heartbeat stopped while its ZooKeeper session lives (a hung process) drops out at the next refresh of any
     * member.
     */
    public List<MemberInfo> healthy() {
        return healthy;
    }

    @Override
    public void close() {
        invokers.close();
        drains.close();
    }
}
