package dev.wisp.controller.loadbalancer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wisp.common.zookeeper.MemberInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where an activation goes: its home invoker while that has room, else the next one with room, else home. */
class LoadBalancerTest {
    private static MemberInfo invoker(String id, int memoryMb, int backlog) {
        return new MemberInfo(id, "h", 1, memoryMb, MemberInfo.HEALTHY, 0, 0, backlog, 0);
    }

    private static final List<MemberInfo> THREE = List.of(invoker("invoker0", 1024, 0), invoker("invoker1", 1024, 0),
            invoker("invoker2", 1024, 0));

    @Test
    void anActionGoesHomeWhileItsHomeHasRoom() {
        assertEquals("invoker1", LoadBalancer.choose(THREE, 1, 256, 1, Map.of("invoker1", 768)).id());
    }

    @Test
    void aFullHomeOverflowsToTheNextInvokerWithRoomInOrder() {
        assertEquals("invoker2", LoadBalancer.choose(THREE, 1, 256, 1, Map.of("invoker1", 1024)).id());
        assertEquals("invoker0", LoadBalancer.choose(THREE, 1, 256, 1,
                Map.of("invoker1", 1024, "invoker2", 900)).id(), "wraps around");
    }

    @Test
    void eachControllerUsesOnlyItsShareOfAnInvoker() {
        // two controllers: 512 MB of invoker1 is this controller's; 512 are taken already
        assertEquals("invoker2", LoadBalancer.choose(THREE, 1, 128, 2, Map.of("invoker1", 512)).id());
        assertEquals("invoker1", LoadBalancer.choose(THREE, 1, 128, 1, Map.of("invoker1", 512)).id(),
                "alone, the whole invoker is this controller's");
    }

    @Test
    void anInvokerReportingABacklogGetsNoMoreWorkWhileAnotherHasRoom() {
        List<MemberInfo> backedUp = List.of(invoker("invoker0", 1024, 0), invoker("invoker1", 1024, 9));
        assertEquals("invoker0", LoadBalancer.choose(backedUp, 1, 128, 1, Map.of()).id());
        List<MemberInfo> busy = List.of(invoker("invoker0", 1024, 0), invoker("invoker1", 1024, 8));
        assertEquals("invoker1", LoadBalancer.choose(busy, 1, 128, 1, Map.of()).id(),
                "4 slots of 256 MB: a backlog of twice them is still fine, one more is not");
    }

    @Test
    void whenEveryInvokerIsFullTheHomeQueuesTheWork() {
        assertEquals("invoker1", LoadBalancer.choose(THREE, 1, 256, 1,
                Map.of("invoker0", 1024, "invoker1", 1024, "invoker2", 1024)).id());
    }

    @Test
    void anActionLargerThanTheShareStillFitsAnIdleInvoker() {
        assertEquals("invoker1", LoadBalancer.choose(THREE, 1, 2048, 4, Map.of()).id());
        assertEquals("invoker2", LoadBalancer.choose(THREE, 1, 2048, 4, Map.of("invoker1", 256)).id());
    }
}
