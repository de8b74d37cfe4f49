package dev.wisp.common.zookeeper;

import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/** Builds Curator clients with Wisp's timeouts. */
public final class Zk {
    private Zk() {
    }

    /**
     * Starts a client and waits until it is connected.
     *
     * @throws IllegalStateException when ZooKeeper cannot be reached within {@code connectWait}
     */
    public static CuratorFramework connect(String connectString, Duration connectWait) {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs(5_000)
                .connectionTimeoutMs(3_000)
                .retryPolicy(new ExponentialBackoffRetry(100, 10, 2_000))
                .build();
        client.start();
        try {
            if (!client.blockUntilConnected((int) connectWait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                client.close();
                throw new IllegalStateException("ZooKeeper at " + connectString + " not reachable within "
                        + connectWait.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new IllegalStateException("interrupted while connecting to ZooKeeper", e);
        }
        return client;
    }
}
