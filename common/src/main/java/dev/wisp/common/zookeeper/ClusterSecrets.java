package dev.wisp.common.zookeeper;

import java.security.SecureRandom;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Secrets every controller and invoker of one cluster share, kept in ZooKeeper (which no action container can
 * reach). The first process to need one creates it; the others read what it wrote.
 */
public final class ClusterSecrets {
    private static final int SECRET_BYTES = 32;

    private ClusterSecrets() {
    }

    /**
     * The secret at {@code path}, created with random bytes when absent. Blocking: call it off the event loop.
     *
     * @throws IllegalStateException when ZooKeeper cannot be read or holds a secret too short to use
     */
    public static byte[] getOrCreate(CuratorFramework zk, String path) {
        try {
            byte[] fresh = new byte[SECRET_BYTES];
            new SecureRandom().nextBytes(fresh);
            try {
                zk.create().creatingParentsIfNeeded().forPath(path, fresh);
            } catch (KeeperException.NodeExistsException e) {
                // another process created it first: everyone uses that one
            }
            byte[] secret = zk.getData().forPath(path);
            if (secret == null || secret.length < SECRET_BYTES) {
                throw new IllegalStateException("the secret at " + path + " in ZooKeeper is shorter than "
                        + SECRET_BYTES + " bytes; delete the node to have a new one made");
            }
            return secret;
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("could not read the secret at " + path + " from ZooKeeper: " + e, e);
        }
    }
}
