package dev.wisp.controller.zookeeper;

import dev.wisp.common.zookeeper.ZkPaths;
import java.io.Closeable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * The controllers' incarnation nodes under {@link ZkPaths#CONTROLLER_INCARNATIONS}, each named by its incarnation
 * and holding data, with ephemeral children that say who is alive and who adopted it. Blocking.
 */
public final class Incarnations {
    private final CuratorFramework zk;

    public Incarnations(CuratorFramework zk) {
        this.zk = zk;
    }

    /** Creates the incarnation node (and its parents). */
    public void create(String incarnation, byte[] data) throws Exception {
        zk.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).forPath(path(incarnation), data);
    }

    /**
     * Keeps an ephemeral child of the incarnation for as long as this session lives, created again after a session
     * loss; waits up to 30 s for it to be created. Close the result to remove it.
     */
    public Closeable keep(String incarnation, String child) throws InterruptedException {
        PersistentNode node = new PersistentNode(zk, CreateMode.EPHEMERAL, false, path(incarnation) + "/" + child,
                new byte[0]);
        node.start();
        node.waitForInitialCreate(30, TimeUnit.SECONDS);
        return node;
    }

    /** Creates an ephemeral child once; false when it exists already or the incarnation is gone. */
    public boolean claim(String incarnation, String child, byte[] data) throws Exception {
        try {
            zk.create().withMode(CreateMode.EPHEMERAL).forPath(path(incarnation) + "/" + child, data);
            return true;
        } catch (KeeperException.NodeExistsException | KeeperException.NoNodeException taken) {
            return false;
        }
    }

    public byte[] data(String incarnation) throws Exception {
        return zk.getData().forPath(path(incarnation));
    }

    public void setData(String incarnation, byte[] data) throws Exception {
        zk.setData().forPath(path(incarnation), data);
    }

    /** Every incarnation registered. */
    public List<String> all() throws Exception {
        return zk.getChildren().forPath(ZkPaths.CONTROLLER_INCARNATIONS);
    }

    /** The children of one incarnation. */
    public List<String> children(String incarnation) throws Exception {
        return zk.getChildren().forPath(path(incarnation));
    }

    /** Deletes the incarnation with its children. */
    public void delete(String incarnation) throws Exception {
        zk.delete().deletingChildrenIfNeeded().forPath(path(incarnation));
    }

    private static String path(String incarnation) {
        return ZkPaths.CONTROLLER_INCARNATIONS + "/" + incarnation;
    }
}
