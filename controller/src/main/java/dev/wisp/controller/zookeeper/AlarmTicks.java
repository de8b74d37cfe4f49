package dev.wisp.controller.zookeeper;

import dev.wisp.common.zookeeper.ZkPaths;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The alarms' state nodes under {@link ZkPaths#ALARMS_TICKS} (a container node), written with compare-and-set on
 * their version. Blocking.
 */
public final class AlarmTicks {
    private final CuratorFramework zk;

    /** A node's data and the version a write must name. */
    public record Versioned(byte[] data, int version) {
    }

    public AlarmTicks(CuratorFramework zk) {
        this.zk = zk;
    }

    /** Creates the parent container node if it is missing. */
    public void createRoot() throws Exception {
        zk.createContainers(ZkPaths.ALARMS_TICKS);
    }

    /** The names of the state nodes; none when the container is gone. */
    public List<String> names() throws Exception {
        try {
            return zk.getChildren().forPath(ZkPaths.ALARMS_TICKS);
        } catch (KeeperException.NoNodeException e) {
            return List.of(); // a container node: ZooKeeper removes it once its last alarm's state is gone
        }
    }

    /** Deletes the state node {@code name}, if it is still there. */
    public void delete(String name) throws Exception {
        try {
            zk.delete().forPath(ZkPaths.ALARMS_TICKS + "/" + name);
        } catch (KeeperException.NoNodeException e) {
            // gone already
        }
    }

    /** The node at {@code path}, or empty when there is none. */
    public Optional<Versioned> read(String path) throws Exception {
        Stat stat = new Stat();
        try {
            byte[] data = zk.getData().storingStatIn(stat).forPath(path);
            return Optional.of(new Versioned(data, stat.getVersion()));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        }
    }

    /** Creates the node at {@code path} (version 0); false when another controller created it first. */
    public boolean create(String path, byte[] data) throws Exception {
        try {
            zk.create().creatingParentContainersIfNeeded().forPath(path, data);
            return true;
        } catch (KeeperException.NodeExistsException raced) {
            return false;
        }
    }

    /** Writes the node if it is still at {@code version}: its new version, or empty when changed or deleted. */
    public OptionalInt write(String path, byte[] data, int version) throws Exception {
        try {
            return OptionalInt.of(zk.setData().withVersion(version).forPath(path, data).getVersion());
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
            return OptionalInt.empty();
        }
    }
}
