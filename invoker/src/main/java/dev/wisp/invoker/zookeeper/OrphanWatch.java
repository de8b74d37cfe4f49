package dev.wisp.invoker.zookeeper;

import dev.wisp.common.zookeeper.MemberInfo;
import dev.wisp.common.zookeeper.Membership;
import dev.wisp.common.zookeeper.ZkPaths;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
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
 * returns to its owner. ZooKeeper events arrive on Curator's thread and are handed to the invoker's context;
 * the decisions are {@link OrphanAdoption}'s.
 */
public final class OrphanWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanWatch.class);
    /** How long after taking its number a starting invoker may take to announce itself before it is adopted. */
    static final long STARTING_MILLIS = 60_000;
    /** How long an invoker may announce itself unhealthy before its topic is adopted. */
    public static final long UNHEALTHY_MILLIS = 10_000;

    private final Vertx vertx;
    private final Context context;
    private final OrphanAdoption adoption;
    private final CuratorCache ids;
    private final CuratorCache live;
    private long timer = -1;

    /**
     * @param adopt starts consuming the given invoker's topic and returns the handle that stops it; called on
     *              the invoker's context
     */
    public OrphanWatch(Vertx vertx, Context context, CuratorFramework zk, int self, Duration grace,
                       IntFunction<AutoCloseable> adopt) {
        this.vertx = vertx;
        this.context = context;
        // closing a consumer waits for its thread (seconds): never on the invoker's event loop
        this.adoption = new OrphanAdoption(self, grace, adopt, feed -> vertx.executeBlocking(() -> {
            closeQuietly(feed);
            return null;
        }, false));
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
        adoption.known(n);
        context.runOnContext(v -> reconcile());
    }

    private void readLive(Map<String, MemberInfo> members) {
        adoption.members(members.values(), System.currentTimeMillis());
        context.runOnContext(v -> reconcile());
    }

    private void reconcile() {
        adoption.reconcile(System.currentTimeMillis());
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
        adoption.dropAll().forEach(OrphanWatch::closeQuietly);
        live.close();
        ids.close();
    }
}
