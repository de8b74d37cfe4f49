package dev.wisp.controller.throttle;

import dev.wisp.common.zookeeper.Membership;
import dev.wisp.common.zookeeper.ZkPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;

/**
 * How many controllers are announced in ZooKeeper, for splitting namespace limits between them. Reads are
 * lock-free; the count is updated on Curator's event thread and is never below 1 (this controller).
 */
public final class LiveControllers implements AutoCloseable {
    private final CuratorCache cache;
    private volatile int count = 1;

    public LiveControllers(CuratorFramework zk) {
        this.cache = Membership.watch(zk, ZkPaths.CONTROLLERS_LIVE, members -> count = Math.max(1, members.size()));
    }

    public int count() {
        return count;
    }

    @Override
    public void close() {
        cache.close();
    }
}
