package dev.wisp.invoker.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.zookeeper.MemberInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which invokers' topics an invoker adopts and when it hands them back: the lowest-numbered healthy invoker takes
 * the topic of one gone (or unhealthy too long) for longer than the grace, and gives it back when its owner works
 * again or another invoker becomes the adopter.
 */
class OrphanAdoptionTest {
    private static final long GRACE = 1_000;

    /** A feed handle that says whose topic it consumes. */
    private record Feed(int owner) implements AutoCloseable {
        @Override
        public void close() {
        }
    }

    private final List<Integer> adoptedTopics = new ArrayList<>();
    private final List<Integer> handedBack = new ArrayList<>();

    /** Invoker {@code self}'s adoption, knowing the invokers {@code known} (number: when it last started). */
    private OrphanAdoption invoker(int self, Map<Integer, Long> known) {
        OrphanAdoption adoption = new OrphanAdoption(self, Duration.ofMillis(GRACE), id -> {
            adoptedTopics.add(id);
            return new Feed(id);
        }, feed -> handedBack.add(((Feed) feed).owner()));
        adoption.known(known);
        return adoption;
    }

    /** ZooKeeper reports {@code members} live at {@code now}, and {@code adoption} acts on it. */
    private static void see(OrphanAdoption adoption, List<MemberInfo> members, long now) {
        adoption.members(members, now);
        adoption.reconcile(now);
    }

    private static MemberInfo member(String id, String state) {
        return new MemberInfo(id, "h", 1, 1024, state);
    }

    /** Invokers announced healthy, by number. */
    private static List<MemberInfo> healthy(int... ids) {
        return Arrays.stream(ids).mapToObj(i -> member("invoker" + i, MemberInfo.HEALTHY)).toList();
    }

    /** {@code adoption} holds no topic, and handed back those of {@code owners}. */
    private void assertHandedBack(OrphanAdoption adoption, Integer... owners) {
        assertEquals(Set.of(), adoption.adopted());
        assertEquals(Set.of(owners), Set.copyOf(handedBack));
        assertEquals(owners.length, handedBack.size(), "each once");
    }

    @Test
    void theLowestHealthyInvokerAdoptsOneGoneLongerThanTheGraceAndHandsItBackWhenItReturns() {
        OrphanAdoption zero = invoker(0, Map.of(0, 0L, 1, 0L));
        zero.members(healthy(0, 1), 0);
        zero.reconcile(100);
        see(zero, healthy(0), 1_000);
        zero.reconcile(1_999);
        assertEquals(Set.of(), zero.adopted(), "within the grace");
        zero.reconcile(2_000);
        assertEquals(Set.of(1), zero.adopted());
        zero.reconcile(2_500);
        assertEquals(List.of(1), adoptedTopics, "adopted once");

        see(zero, healthy(0, 1), 3_000);
        assertHandedBack(zero, 1);
    }

    @Test
    void onlyTheLowestNumberedLiveInvokerAdopts() {
        OrphanAdoption one = invoker(1, Map.of(0, 0L, 1, 0L, 2, 0L));
        see(one, healthy(0, 1), 0);
        one.reconcile(10 * GRACE);
        assertEquals(Set.of(), one.adopted(), "invoker0 adopts invoker2");

        one.members(healthy(1), 10 * GRACE);
        one.reconcile(10 * GRACE);
        one.reconcile(11 * GRACE);
        assertEquals(Set.of(0, 2), one.adopted(), "with invoker0 gone too, invoker1 adopts both");
    }

    @Test
    void anAdoptedTopicIsHandedBackWhenAnotherInvokerBecomesTheAdopter() {
        OrphanAdoption one = invoker(1, Map.of(0, 0L, 1, 0L, 2, 0L));
        see(one, healthy(1), 0);
        one.reconcile(GRACE);
        assertEquals(Set.of(0, 2), one.adopted());

        one.members(healthy(0, 1), 2 * GRACE); // invoker0 is back: its own topic returns, and it adopts invoker2's
        one.reconcile(2 * GRACE);
        assertHandedBack(one, 0, 2);
    }

    @Test
    void anInvokerUnhealthyForTooLongIsAdoptedWhileStillAnnouncedAndHandedBackWhenHealthy() {
        OrphanAdoption zero = invoker(0, Map.of(0, 0L, 1, 0L));
        List<MemberInfo> sick = List.of(member("invoker0", MemberInfo.HEALTHY),
                member("invoker1", MemberInfo.UNHEALTHY));
        zero.members(sick, 0);
        zero.reconcile(OrphanWatch.UNHEALTHY_MILLIS - 1);
        assertEquals(Set.of(), zero.adopted(), "unhealthy for a while is not dead");
        zero.reconcile(OrphanWatch.UNHEALTHY_MILLIS); // from now on it counts as gone
        zero.reconcile(OrphanWatch.UNHEALTHY_MILLIS + GRACE - 1);
        assertEquals(Set.of(), zero.adopted(), "then it has the grace of one gone");
        zero.reconcile(OrphanWatch.UNHEALTHY_MILLIS + GRACE);
        assertEquals(Set.of(1), zero.adopted());

        see(zero, healthy(0, 1), 20_000);
        assertHandedBack(zero, 1);
    }

    @Test
    void anUnhealthyInvokerAdoptsNothing() {
        OrphanAdoption zero = invoker(0, Map.of(0, 0L, 1, 0L, 2, 0L));
        see(zero, List.of(member("invoker0", MemberInfo.UNHEALTHY)), 0);
        zero.reconcile(5 * GRACE);
        assertEquals(Set.of(), zero.adopted());
        assertTrue(adoptedTopics.isEmpty());
    }

    @Test
    void aRestartedInvokerHasTimeToAnnounceItselfBeforeItsTopicIsAdopted() {
        OrphanAdoption zero = invoker(0, Map.of(0, 0L, 1, 0L));
        see(zero, healthy(0, 1), 0);
        zero.members(healthy(0), 1_000);
        zero.known(Map.of(0, 0L, 1, 1_000L)); // invoker1 took its number again: it is starting
        zero.reconcile(1_000);
        zero.reconcile(1_000 + OrphanWatch.STARTING_MILLIS + GRACE - 1);
        assertEquals(Set.of(), zero.adopted());
        zero.reconcile(1_000 + OrphanWatch.STARTING_MILLIS + GRACE);
        assertEquals(Set.of(1), zero.adopted(), "it never announced itself");
    }

    @Test
    void controllersAndOddNamesAreNotInvokers() {
        OrphanAdoption zero = invoker(0, Map.of(0, 0L, 1, 0L));
        zero.members(List.of(member("invoker0", MemberInfo.HEALTHY), member("controller1", MemberInfo.HEALTHY),
                member("invokerX", MemberInfo.HEALTHY)), 0);
        zero.reconcile(0);
        zero.reconcile(GRACE);
        assertEquals(Set.of(1), zero.adopted(), "controller1 is not invoker1");
    }

    @Test
    void droppingAllForgetsTheAdoptedTopicsAndGivesTheirHandles() {
        OrphanAdoption zero = invoker(0, Map.of(0, 0L, 1, 0L, 2, 0L));
        see(zero, healthy(0), 0);
        zero.reconcile(GRACE);
        assertEquals(Set.of(new Feed(1), new Feed(2)), Set.copyOf(zero.dropAll()));
        assertEquals(Set.of(), zero.adopted());
        assertTrue(handedBack.isEmpty(), "the caller closes them");
    }
}
