package dev.wisp.invoker.zookeeper;

import dev.wisp.common.zookeeper.MemberInfo;
import dev.wisp.common.zookeeper.Membership;
import dev.wisp.common.zookeeper.ZkPaths;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes over the topics of invokers that died or cannot work: an invoker known in ZooKeeper but absent from the
 * live members for longer than the grace, or announced {@code unhealthy} for longer than
 * {@link #UNHEALTHY_MILLIS} (cut from Kafka with its ZooKeeper session alive, its Docker engine gone: a feed that
 * makes no progress), is adopted by the healthy invoker with the lowest instance number, which consumes its
 * topic in its consumer group from the last committed offset, so its backlog runs elsewhere. When the dead
 * invoker comes back (or another invoker becomes the adopter) the adopted feed is closed and the partition
 * returns to its owner. ZooKeeper events arrive on Curator's thread and are handed to the invoker's context.
 */
public final class OrphanWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanWatch.class);
    /** How long after taking its number a starting invoker may take to announce itself before it is adopted. */
    static final long STARTING_MILLIS = 60_000;
    /** How long an invoker may announce itself unhealthy before its topic is adopted. */
    public static final long UNHEALTHY_MILLIS = 10_000;

    private final Vertx vertx;
    private final Context context;
    private final int self;
    private final Duration grace;
    private final IntFunction<AutoCloseable> adopt;
    private final CuratorCache ids;
    private final CuratorCache live;
    private final Map<Integer, Long> goneSince = new HashMap<>();
    private final Map<Integer, Long> seenAlive = new HashMap<>();
    private final Map<Integer, AutoCloseable> adopted = new HashMap<>();
    /** Known invokers by number, with when each last took its number (i.e. last started). */
    private volatile Map<Integer, Long> known = Map.of();
    private volatile Set<Integer> alive = Set.of();
    /** Live invokers announcing themselves unhealthy, with since when (as this watch first saw it). */
    private final Map<Integer, Long> unhealthySince = new java.util.concurrent.ConcurrentHashMap<>();
    private long timer = -1;

    /**
     * @param adopt starts consuming the given invoker's topic and returns the handle that stops it; called on
     *              the invoker's context
     */
    public OrphanWatch(Vertx vertx, Context context, CuratorFramework zk, int self, Duration grace,
                       IntFunction<AutoCloseable> adopt) {
        this.vertx = vertx;
        this.context = context;
        this.self = self;
        this.grace = grace;
        this.adopt = adopt;
        this.ids = CuratorCache.build(zk, ZkPaths.INVOKER_IDS);
        this.ids.listenable().addListener(CuratorCacheListener.builder()
                .forAll((type, oldData, data) -> readKnown())
                .forInitialized(this::readKnown)
                .build());
        this.live = Membership.watch(zk, ZkPaths.INVOKERS_LIVE, this::readLive);
    }

    /** Starts watching; call on the invoker's context. */
    public void start() {
        ids.start();
        timer = vertx.setPeriodic(500, t -> reconcile());
    }

    private void readKnown() {
        Map<Integer, Long> n = new HashMap<>();
        ids.stream().filter(d -> !d.getPath().equals(ZkPaths.INVOKER_IDS) && d.getData() != null).forEach(d -> {
            try {
                n.put(Integer.parseInt(new String(d.getData(), StandardCharsets.UTF_8).trim()),
                        d.getStat() == null ? 0L : d.getStat().getMtime());
            } catch (NumberFormatException e) {
                // not an id node
            }
        });
        known = Map.copyOf(n);
        context.runOnContext(v -> reconcile());
    }

    private void readLive(Map<String, MemberInfo> members) {
        Set<Integer> n = new HashSet<>();
        Set<Integer> unhealthy = new HashSet<>();
        members.values().forEach(m -> {
            if (m.id().startsWith("invoker")) { // a draining invoker still consumes its own topic
                try {
                    int id = Integer.parseInt(m.id().substring("invoker".length()));
                    n.add(id);
                    if (MemberInfo.UNHEALTHY.equals(m.state())) {
                        unhealthy.add(id);
                    }
                } catch (NumberFormatException e) {
                    // not an invoker name
                }
            }
        });
        long now = System.currentTimeMillis();
        unhealthySince.keySet().retainAll(unhealthy);
        unhealthy.forEach(id -> unhealthySince.putIfAbsent(id, now));
        alive = Set.copyOf(n);
        context.runOnContext(v -> reconcile());
    }

    /** Live invokers that work: announced, and not unhealthy for longer than {@link #UNHEALTHY_MILLIS}. */
    private Set<Integer> working(long now) {
        Set<Integer> out = new HashSet<>(alive);
        unhealthySince.forEach((id, since) -> {
            if (now - since >= UNHEALTHY_MILLIS) {
                out.remove(id);
            }
        });
        return out;
    }

    private void reconcile() {
        long now = System.currentTimeMillis();
        Set<Integer> liveNow = working(now);
        // only a healthy invoker adopts: the lowest-numbered one that has not been unhealthy at all
        int adopter = liveNow.stream().filter(id -> !unhealthySince.containsKey(id)).mapToInt(Integer::intValue)
                .min().orElse(-1);
        for (Map.Entry<Integer, Long> k : known.entrySet()) {
            int id = k.getKey();
            if (id == self || liveNow.contains(id)) {
                goneSince.remove(id);
                seenAlive.put(id, now);
                continue;
            }
            // An invoker takes its number well before it announces itself (Docker, topics, stem cells first):
            // while one that (re)started and was not seen alive since is starting, its topic is left to it rather
            // than adopted and handed back a moment later.
            long started = k.getValue();
            boolean starting = seenAlive.getOrDefault(id, 0L) < started;
            long since = goneSince.computeIfAbsent(id, x -> now);
            if (starting) {
                since = Math.max(since, started + STARTING_MILLIS);
            }
            if (adopter == self && !adopted.containsKey(id) && now - since >= grace.toMillis()) {
                LOG.info("invoker{} is {}; invoker{} takes over its topic", id,
                        alive.contains(id) ? "unhealthy for " + (now - unhealthySince.getOrDefault(id, now)) + " ms"
                                : "gone", self);
                adopted.put(id, adopt.apply(id));
            }
        }
        for (Integer id : Set.copyOf(adopted.keySet())) {
            if (liveNow.contains(id) || adopter != self) {
                LOG.info("handing invoker{}'s topic back", id);
                AutoCloseable feed = adopted.remove(id);
                // closing a consumer waits for its thread (seconds): never on the invoker's event loop
                vertx.executeBlocking(() -> {
                    closeQuietly(feed);
                    return null;
                }, false);
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("closing an adopted feed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        adopted.values().forEach(OrphanWatch::closeQuietly);
        adopted.clear();
        live.close();
        ids.close();
    }
}
