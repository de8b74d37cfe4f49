package dev.wisp.controller.zookeeper;

import dev.wisp.common.zookeeper.ZkPaths;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.utils.ZKPaths;

/**
 * The invokers operators asked to drain ({@code /wisp/invokers/drain/invokerN}, removed by the invoker once its
 * drain is done), to follow. The listener runs on Curator's event thread with the ids asked, each time they change;
 * it must not block.
 */
public final class DrainRequests implements AutoCloseable {
    private final CuratorFramework zk;
    private CuratorCache cache;

    public DrainRequests(CuratorFramework zk) {
        this.zk = zk;
    }

    /** Starts following the requests. */
    public void follow(Consumer<Set<String>> listener) {
        CuratorCache c = CuratorCache.build(zk, ZkPaths.INVOKER_DRAIN);
        Runnable publish = () -> listener.accept(c.stream().map(d -> d.getPath())
                .filter(p -> !p.equals(ZkPaths.INVOKER_DRAIN))
                .map(p -> ZKPaths.getNodeFromPath(p))
                .collect(Collectors.toUnmodifiableSet()));
        c.listenable().addListener(CuratorCacheListener.builder()
                .forAll((type, oldData, data) -> publish.run())
                .forInitialized(publish)
                .build());
        c.start();
        cache = c;
    }

    @Override
    public void close() {
        if (cache != null) {
            cache.close();
        }
    }
}
