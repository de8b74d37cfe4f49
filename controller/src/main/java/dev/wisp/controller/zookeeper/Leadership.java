package dev.wisp.controller.zookeeper;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;

/**
 * One candidate in a leader election (a Curator leader latch at {@code path}). The callbacks run on Curator's
 * threads and must not block.
 */
public final class Leadership implements AutoCloseable {
    private final LeaderLatch latch;

    public Leadership(CuratorFramework zk, String path, String id) {
        this.latch = new LeaderLatch(zk, path, id);
    }

    /** Joins the election. */
    public void start(Runnable gained, Runnable lost) throws Exception {
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                gained.run();
            }

            @Override
            public void notLeader() {
                lost.run();
            }
        });
        latch.start();
    }

    /** Whether this candidate leads now. */
    public boolean held() {
        return latch.hasLeadership();
    }

    /** Leaves the election (letting go of the lead if held); closing twice is harmless. */
    @Override
    public void close() throws Exception {
        try {
            latch.close();
        } catch (IllegalStateException e) {
            // already closed, or never started
        }
    }
}
