package dev.wisp.controller.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wisp.common.codec.Json;
import dev.wisp.common.zookeeper.MemberInfo;
import dev.wisp.common.zookeeper.Zk;
import dev.wisp.common.zookeeper.ZkPaths;
import dev.wisp.controller.zookeeper.FleetNodes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operators' view read from a real ZooKeeper: states as the invokers announce them, and drain requests. */
class FleetTest {
    private TestingServer server;
    private CuratorFramework zk;
    private FleetNodes nodes;

    @BeforeEach
    void start() throws Exception {
        server = new TestingServer(true);
        zk = Zk.connect(server.getConnectString(), Duration.ofSeconds(10));
        nodes = new FleetNodes(zk);
    }

    @AfterEach
    void stop() throws Exception {
        zk.close();
        server.close();
    }

    private void register(String name, int number) throws Exception {
        zk.create().creatingParentsIfNeeded().forPath(ZkPaths.INVOKER_IDS + "/" + name,
                String.valueOf(number).getBytes(StandardCharsets.UTF_8));
    }

    private void announce(MemberInfo m) throws Exception {
        zk.create().creatingParentsIfNeeded().forPath(ZkPaths.INVOKERS_LIVE + "/" + m.id(), Json.encode(m));
    }

    private Map<String, String> states() throws Exception {
        return Fleet.read(nodes).invokers().stream()
                .collect(Collectors.toMap(Fleet.InvokerView::name, Fleet.InvokerView::state));
    }

    @Test
    void statesAsAnnouncedStaleOrGone() throws Exception {
        register("a", 0);
        register("b", 1);
        register("c", 2);
        announce(new MemberInfo("invoker0", "a", 1, 256, MemberInfo.HEALTHY));
        announce(new MemberInfo("invoker1", "b", 1, 256, MemberInfo.HEALTHY, 0, 0, 0,
                System.currentTimeMillis() - Fleet.STALE_MILLIS - 1_000));
        assertEquals(Map.of("a", "healthy", "b", "unresponsive", "c", "offline"), states());
    }

    @Test
    void anInvokerAskedToDrainShowsDrainingBeforeItHasSeenTheRequest() throws Exception {
        register("a", 0);
        register("b", 1);
        announce(new MemberInfo("invoker0", "a", 1, 256, MemberInfo.HEALTHY));
        announce(new MemberInfo("invoker1", "b", 1, 256, MemberInfo.HEALTHY));

        Fleet.drain(nodes, "invoker1");
        assertEquals(Map.of("a", "healthy", "b", "draining"), states());
        Fleet.drain(nodes, "invoker1"); // asking twice is harmless
        assertEquals(Map.of("a", "healthy", "b", "draining"), states());
        assertThrows(IllegalArgumentException.class, () -> Fleet.drain(nodes, "b"));
    }
}
