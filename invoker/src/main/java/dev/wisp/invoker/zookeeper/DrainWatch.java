package dev.wisp.invoker.zookeeper;

import dev.wisp.common.zookeeper.ZkPaths;
import io.vertx.core.Context;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;

/**
 * Watches for an operator's request to drain this invoker: the node {@code /wisp/invokers/drain/invokerN}.
 * The callback runs once, on the invoker's context.
 */
public final class DrainWatch implements AutoCloseable {
    private final CuratorFramework zk;
    private final String path;
    private final CuratorCache cache;
    private volatile boolean fired;

    public DrainWatch(CuratorFramework zk, String invokerName, Context context, Runnable onDrain) {
        this.zk = zk;
        this.path = ZkPaths.INVOKER_DRAIN + "/" + invokerName;
        this.cache = CuratorCache.build(zk, path);
        cache.listenable().addListener(CuratorCacheListener.builder().forCreates(node -> {
            if (!fired) {
                fired = true;
                context.runOnContext(v -> onDrain.run());
            }
        }).build());
    }

    public void start() {
        cache.start();
    }

    /** Removes the request once the drain is done, so the same invoker may start again later. */
    public void done() {
        try {
            zk.delete().quietly().forPath(path);
        } catch (Exception e) {
            // the node is gone or ZooKeeper is; either way nothing waits for it
        }
    }

    @Override
    public void close() {
        cache.close();
    }
}
