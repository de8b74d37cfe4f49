package dev.wisp.controller.zookeeper;

import dev.wisp.common.zookeeper.MemberInfo;
import dev.wisp.common.zookeeper.Membership;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;

/**
 * A group of members announced in ZooKeeper ({@link Membership}), to follow. The listener runs on Curator's event
 * thread with a fresh immutable snapshot, keyed by member id, each time the group changes; it must not block.
 */
public final class Members implements AutoCloseable {
    private final CuratorFramework zk;
    private final String group;
    private CuratorCache cache;

    public Members(CuratorFramework zk, String group) {
        this.zk = zk;
        this.group = group;
    }

    /** Starts following the group. */
    public void follow(Consumer<Map<String, MemberInfo>> listener) {
        cache = Membership.watch(zk, group, listener);
    }

    @Override
    public void close() {
        if (cache != null) {
            cache.close();
        }
    }
}
