package dev.wisp.controller.loadbalancer;

import static org.awaitility.Awaitility.await;

import dev.wisp.common.zookeeper.MemberInfo;
import dev.wisp.common.zookeeper.Membership;
import dev.wisp.common.zookeeper.Zk;
import dev.wisp.common.zookeeper.ZkPaths;
import dev.wisp.controller.fleet.Fleet;
import dev.wisp.controller.zookeeper.DrainRequests;
import dev.wisp.controller.zookeeper.FleetNodes;
import dev.wisp.controller.zookeeper.Members;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which invokers get work, followed in a real ZooKeeper. */
class InvokerPoolTest {
    private TestingServer server;
    private CuratorFramework zk;
    private InvokerPool pool;

    @BeforeEach
    void start() throws Exception {
        server = new TestingServer(true);
        zk = Zk.connect(server.getConnectString(), Duration.ofSeconds(10));
        pool = new InvokerPool(new Members(zk, ZkPaths.INVOKERS_LIVE), new DrainRequests(zk));
    }

    @AfterEach
    void stop() throws Exception {
        pool.close();
        zk.close();
        server.close();
    }

    private List<String> healthy() {
        return pool.healthy().stream().map(MemberInfo::id).toList();
    }

    @Test
    void anInvokerAskedToDrainGetsNoWorkThoughItStillAnnouncesItselfHealthy() throws Exception {
        PersistentNode a = Membership.announce(zk, ZkPaths.INVOKERS_LIVE,
                new MemberInfo("invoker0", "a", 1, 256, MemberInfo.HEALTHY));
        PersistentNode b = Membership.announce(zk, ZkPaths.INVOKERS_LIVE,
                new MemberInfo("invoker1", "b", 1, 256, MemberInfo.HEALTHY));
        await().atMost(Duration.ofSeconds(10)).until(() -> healthy().equals(List.of("invoker0", "invoker1")));

        Fleet.drain(new FleetNodes(zk), "invoker1");
        await().atMost(Duration.ofSeconds(10)).until(() -> healthy().equals(List.of("invoker0")));

        // the invoker removes its request once drained; one that comes back with the same id gets work again
        zk.delete().forPath(ZkPaths.INVOKER_DRAIN + "/invoker1");
        await().atMost(Duration.ofSeconds(10)).until(() -> healthy().equals(List.of("invoker0", "invoker1")));
        a.close();
        b.close();
    }

    @Test
    void anInvokerAnnouncingItselfDrainingOrUnhealthyGetsNoWork() throws Exception {
        PersistentNode a = Membership.announce(zk, ZkPaths.INVOKERS_LIVE,
                new MemberInfo("invoker0", "a", 1, 256, MemberInfo.DRAINING));
        PersistentNode b = Membership.announce(zk, ZkPaths.INVOKERS_LIVE,
                new MemberInfo("invoker1", "b", 1, 256, MemberInfo.UNHEALTHY));
        PersistentNode c = Membership.announce(zk, ZkPaths.INVOKERS_LIVE,
                new MemberInfo("invoker2", "c", 1, 256, MemberInfo.HEALTHY));
        await().atMost(Duration.ofSeconds(10)).until(() -> healthy().equals(List.of("invoker2")));
        a.close();
        b.close();
        c.close();
    }
}
