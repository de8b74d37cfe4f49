package dev.wisp.common.zookeeper;

import dev.wisp.common.codec.Json;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Membership of a group in ZooKeeper: {@link #announce} keeps an ephemeral node for this member (re-created
 * after a session loss), {@link #watch} follows the group. Listeners run on Curator's event thread; they get a
 * fresh immutable snapshot each time and must not block.
 */
public final class Membership {
    private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

    private Membership() {
    }

    /** Announces a member under {@code group}; close the returned node to leave the group. */
    public static PersistentNode announce(CuratorFramework client, String group, MemberInfo info) {
        PersistentNode node = new PersistentNode(client, CreateMode.EPHEMERAL, false, group + "/" + info.id(),
                Json.encode(info));
        node.start();
        return node;
    }

    /** Updates what a member announces (e.g. its state). */
    public static void update(PersistentNode node, MemberInfo info) {
        try {
            node.setData(Json.encode(info));
        } catch (Exception e) {
            LOG.warn("could not update member {}: {}", info.id(), e.toString());
        }
    }

    /** Follows the members of {@code group}; close the returned cache to stop. */
    public static CuratorCache watch(CuratorFramework client, String group, Consumer<Map<String, MemberInfo>> listener) {
        Objects.requireNonNull(listener, "listener");
        CuratorCache cache = CuratorCache.build(client, group);
        Runnable publish = () -> {
            Map<String, MemberInfo> members = new HashMap<>();
            cache.stream()
                    .filter(d -> !d.getPath().equals(group) && d.getData() != null && d.getData().length > 0)
                    .forEach(d -> decode(d).ifPresent(m -> members.put(m.id(), m)));
            listener.accept(Map.copyOf(members));
        };
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forAll((type, oldData, data) -> publish.run())
                .forInitialized(publish)
                .build());
        cache.start();
        return cache;
    }

    private static java.util.Optional<MemberInfo> decode(ChildData d) {
        try {
            return java.util.Optional.of(Json.decode(d.getData(), MemberInfo.class));
        } catch (RuntimeException e) {
            LOG.warn("ignoring unreadable member node {}: {}", d.getPath(), e.toString());
            return java.util.Optional.empty();
        }
    }
}
