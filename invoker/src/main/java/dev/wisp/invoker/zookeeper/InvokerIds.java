package dev.wisp.invoker.zookeeper;

import dev.wisp.common.message.InvokerId;
import dev.wisp.common.zookeeper.ZkPaths;
import java.nio.charset.StandardCharsets;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Hands out invoker instance numbers: the same unique name always gets the same number, and two names never
 * share one. Numbers come from a counter node updated with optimistic versioned writes. Each start rewrites the
 * name's node, so its modification time tells when the invoker last started.
 */
public final class InvokerIds {
    private InvokerIds() {
    }

    /** Blocking: call at start-up, off the event loop. */
    public static InvokerId assign(CuratorFramework zk, String uniqueName) throws Exception {
        String mine = ZkPaths.INVOKER_IDS + "/" + uniqueName;
        zk.createContainers(ZkPaths.INVOKER_IDS);
        while (true) {
            if (zk.checkExists().forPath(mine) != null) {
                byte[] data = zk.getData().forPath(mine);
                int n = Integer.parseInt(new String(data, StandardCharsets.UTF_8));
                zk.setData().forPath(mine, data); // its mtime says when it last started (see OrphanWatch)
                return new InvokerId(n, uniqueName);
            }
            int next = claimNumber(zk);
            try {
                zk.create().forPath(mine, String.valueOf(next).getBytes(StandardCharsets.UTF_8));
                return new InvokerId(next, uniqueName);
            } catch (KeeperException.NodeExistsException e) {
                // another process with the same name won; read its number on the next turn
            }
        }
    }

    private static int claimNumber(CuratorFramework zk) throws Exception {
        while (true) {
            Stat stat = new Stat();
            try {
                byte[] data = zk.getData().storingStatIn(stat).forPath(ZkPaths.INVOKER_COUNTER);
                int current = Integer.parseInt(new String(data, StandardCharsets.UTF_8));
                zk.setData().withVersion(stat.getVersion())
                        .forPath(ZkPaths.INVOKER_COUNTER, String.valueOf(current + 1).getBytes(StandardCharsets.UTF_8));
                return current;
            } catch (KeeperException.NoNodeException e) {
                try {
                    zk.create().creatingParentsIfNeeded().forPath(ZkPaths.INVOKER_COUNTER, "0".getBytes(StandardCharsets.UTF_8));
                } catch (KeeperException.NodeExistsException raced) {
                    // someone else created it
                }
            } catch (KeeperException.BadVersionException e) {
                // lost the race for this number; try the next
            }
        }
    }
}
