package dev.wisp.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.zookeeper.MemberInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Which controller the gateway sends a request to. */
class ControllerSetTest {
    private static MemberInfo controller(String id, String state) {
        return new MemberInfo(id, "127.0.0.1", 3000, 0, state);
    }

    private static ControllerSet announcing(MemberInfo... members) {
        ControllerSet set = new ControllerSet();
        set.update(Stream.of(members).collect(java.util.stream.Collectors.toMap(MemberInfo::id, m -> m)));
        return set;
    }

    private static List<String> picks(ControllerSet set, int n, String except) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(set.pick(except).orElseThrow().id());
        }
        return out;
    }

    @Test
    void healthyControllersTakeTurnsInOrderOfTheirIds() {
        ControllerSet set = announcing(controller("controller1", MemberInfo.HEALTHY),
                controller("controller0", MemberInfo.HEALTHY));
        assertEquals(List.of("controller0", "controller1", "controller0", "controller1"), picks(set, 4, null));
    }

    @Test
    void onlyControllersAnnouncedHealthyAreRoutedTo() {
        ControllerSet set = announcing(controller("controller0", MemberInfo.DRAINING),
                controller("controller1", MemberInfo.HEALTHY), controller("controller2", MemberInfo.UNHEALTHY));
        assertEquals(List.of("controller1", "controller1"), picks(set, 2, null));
        assertEquals(1, set.announced().size());
    }

    @Test
    void aControllerMarkedDownIsSkippedUntilMarkedUp() {
        ControllerSet set = announcing(controller("controller0", MemberInfo.HEALTHY),
                controller("controller1", MemberInfo.HEALTHY));
        set.markDown("controller0");
        assertEquals(List.of("controller1", "controller1", "controller1"), picks(set, 3, null));
        set.markUp("controller0");
        assertTrue(picks(set, 2, null).contains("controller0"));
    }

    @Test
    void whenNoneIsHealthyEveryAnnouncedOneIsTriedRatherThanRefusing() {
        ControllerSet set = announcing(controller("controller0", MemberInfo.HEALTHY),
                controller("controller1", MemberInfo.HEALTHY));
        set.markDown("controller0");
        set.markDown("controller1");
        assertEquals(List.of(), set.healthy());
        assertEquals(List.of("controller0", "controller1"), picks(set, 2, null).stream().sorted().toList());
    }

    @Test
    void theControllerThatJustFailedIsAvoidedWhenThereIsAnother() {
        ControllerSet set = announcing(controller("controller0", MemberInfo.HEALTHY),
                controller("controller1", MemberInfo.HEALTHY));
        assertEquals(List.of("controller1", "controller1", "controller1"), picks(set, 3, "controller0"));
        ControllerSet alone = announcing(controller("controller0", MemberInfo.HEALTHY));
        assertEquals(List.of("controller0"), picks(alone, 1, "controller0"), "the only one is tried again");
    }

    @Test
    void withNoControllerAnnouncedThereIsNoneToPick() {
        assertTrue(new ControllerSet().pick().isEmpty());
        assertTrue(announcing(controller("controller0", MemberInfo.DRAINING)).pick().isEmpty());
    }

    @Test
    void aControllerThatLeavesAndReturnsIsNoLongerMarkedDown() {
        ControllerSet set = announcing(controller("controller0", MemberInfo.HEALTHY));
        set.markDown("controller0");
        set.update(Map.of());
        set.update(Map.of("controller0", controller("controller0", MemberInfo.HEALTHY)));
        assertFalse(set.isDown("controller0"));
    }
}
