package dev.wisp.controller.zookeeper;

import dev.wisp.common.codec.Json;
import dev.wisp.common.zookeeper.MemberInfo;
import dev.wisp.common.zookeeper.ZkPaths;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/** The nodes the fleet view is made of: registered invokers, announced members, drain requests. Blocking. */
public final class FleetNodes {
    private final CuratorFramework zk;

    public FleetNodes(CuratorFramework zk) {
        this.zk = zk;
    }

    /** Every invoker ever registered: its name (host) and the number it was given. */
    public Map<String, String> registeredInvokers() throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : children(ZkPaths.INVOKER_IDS)) {
            out.put(name, new String(zk.getData().forPath(ZkPaths.INVOKER_IDS + "/" + name), StandardCharsets.UTF_8)
                    .trim());
        }
        return out;
    }

    /** The members announced under {@code group} now (one that leaves while being read is left out). */
    public List<MemberInfo> members(String group) throws Exception {
        List<MemberInfo> out = new ArrayList<>();
        for (String child : children(group)) {
            try {
                out.add(Json.decode(zk.getData().forPath(group + "/" + child), MemberInfo.class));
            } catch (KeeperException.NoNodeException e) {
                // left meanwhile
            }
        }
        return out;
    }

    /** Writes the drain request an invoker watches for; asking twice is harmless. */
    public void requestDrain(String invoker) throws Exception {
        try {
            zk.create().creatingParentsIfNeeded().forPath(ZkPaths.INVOKER_DRAIN + "/" + invoker);
        } catch (KeeperException.NodeExistsException e) {
            // already asked
        }
    }

    /** The invokers an operator asked to drain whose drain is not done yet (the invoker removes its request). */
    public List<String> drainRequests() throws Exception {
        return children(ZkPaths.INVOKER_DRAIN);
    }

    private List<String> children(String path) throws Exception {
        return zk.checkExists().forPath(path) == null ? List.of() : zk.getChildren().forPath(path);
    }
}
