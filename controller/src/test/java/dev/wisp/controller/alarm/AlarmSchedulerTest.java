package dev.wisp.controller.alarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.message.ActivationId;
import dev.wisp.common.zookeeper.Zk;
import dev.wisp.common.zookeeper.ZkPaths;
import dev.wisp.controller.zookeeper.AlarmTicks;
import dev.wisp.controller.zookeeper.Leadership;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The leader's tick loop against a real (in-process) ZooKeeper and a clock the test moves. */
class AlarmSchedulerTest {
    private static final long T0 = Instant.parse("2030-01-01T00:00:00Z").toEpochMilli();
    private static final EntityPath NAME = EntityPath.of("guest", "every-second");

    private TestingServer server;
    private final List<CuratorFramework> clients = new ArrayList<>();
    private final List<AlarmScheduler> schedulers = new ArrayList<>();
    private final AtomicLong now = new AtomicLong(T0);
    private final List<Long> fired = Collections.synchronizedList(new ArrayList<>());
    private final List<String> skipped = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws Exception {
        server = new TestingServer(true);
    }

    @AfterEach
    void stop() throws Exception {
        for (AlarmScheduler s : schedulers) {
            s.close();
        }
        clients.forEach(CuratorFramework::close);
        server.close();
    }

    private static AlarmTrigger alarm(String cron, String... extra) {
        StringBuilder params = new StringBuilder("[{\"key\":\"cron\",\"value\":\"" + cron + "\"}");
        for (String e : extra) {
            params.append(',').append(e);
        }
        JsonNode p = Json.decode(params.append(']').toString().getBytes(), JsonNode.class);
        return AlarmTrigger.from(NAME, p, T0);
    }

    private AlarmScheduler scheduler(String id, AlarmTrigger alarm, AlarmFirer firer, int cap) throws Exception {
        CuratorFramework zk = Zk.connect(server.getConnectString(), Duration.ofSeconds(10));
        clients.add(zk);
        AlarmScheduler s = new AlarmScheduler(new Leadership(zk, ZkPaths.ALARMS_LEADER, id), new AlarmTicks(zk), id,
                () -> List.of(alarm), firer, now::get, 60_000, cap);
        s.start();
        schedulers.add(s);
        return s;
    }

    private AlarmFirer recording() {
        return new AlarmFirer() {
            @Override
            public void fire(AlarmTrigger a, long tick, ActivationId id) {
                assertEquals(TickIds.of(a.path(), tick), id);
                fired.add(tick);
            }

            @Override
            public void reportSkipped(AlarmTrigger a, long from, long to, long count) {
                skipped.add((from - T0) / 1000 + ".." + (to - T0) / 1000 + ":" + count);
            }
        };
    }

    private static List<Long> seconds(int from, int to) {
        List<Long> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(T0 + i * 1000L);
        }
        return out;
    }

    private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void theLeaderFiresEveryTickSinceTheTriggerWasCreatedInOrder() throws Exception {
        AlarmScheduler s = scheduler("c0", alarm("* * * * * *"), recording(), 1000);
        waitFor("leadership", s::isLeader);
        now.set(T0 + 10_500);
        waitFor("ten fires", () -> fired.size() >= 10);
        Thread.sleep(200);
        assertEquals(seconds(1, 10), fired);
        now.set(T0 + 12_000);
        waitFor("twelve fires", () -> fired.size() >= 12);
        assertEquals(seconds(1, 12), fired);
    }

    @Test
    void aNewLeaderFiresTheTicksMissedDuringTheFailoverOnce() throws Exception {
        AlarmTrigger a = alarm("* * * * * *");
        AlarmScheduler first = scheduler("c0", a, recording(), 1000);
        waitFor("first leads", first::isLeader);
        AlarmScheduler second = scheduler("c1", a, recording(), 1000);
        now.set(T0 + 5_000);
        waitFor("five fires", () -> fired.size() >= 5);
        assertTrue(!second.isLeader());
        first.close();
        now.set(T0 + 12_000); // seven ticks pass with no leader
        waitFor("second leads", second::isLeader);
        waitFor("twelve fires", () -> fired.size() >= 12);
        Thread.sleep(200);
        assertEquals(seconds(1, 12), fired);
    }

    @Test
    void aCatchUpBeyondTheCapFiresTheLatestTicksAndReportsTheRest() throws Exception {
        AlarmScheduler s = scheduler("c0", alarm("* * * * * *"), recording(), 5);
        waitFor("leadership", s::isLeader);
        now.set(T0 + 20_000);
        waitFor("five fires", () -> fired.size() >= 5);
        Thread.sleep(200);
        assertEquals(seconds(16, 20), fired);
        assertEquals(List.of("1..15:15"), skipped);
        byte[] state = clients.get(0).getData().forPath(AlarmScheduler.path(alarm("* * * * * *")));
        AlarmState st = Json.decode(state, AlarmState.class);
        assertEquals(T0 + 20_000, st.lastTick());
        assertEquals(List.of(new AlarmState.Skipped(T0 + 1_000, T0 + 15_000, 15, T0 + 20_000)), st.skipped());
    }

    @Test
    void maxTriggersStopsTheAlarm() throws Exception {
        AlarmScheduler s = scheduler("c0", alarm("* * * * * *", "{\"key\":\"maxTriggers\",\"value\":3}"),
                recording(), 1000);
        waitFor("leadership", s::isLeader);
        now.set(T0 + 10_000);
        waitFor("three fires", () -> fired.size() >= 3);
        Thread.sleep(300);
        assertEquals(seconds(1, 3), fired);
    }

    @Test
    void aFailedFireIsTriedAgainNotSkipped() throws Exception {
        AtomicInteger failures = new AtomicInteger(2);
        AlarmFirer flaky = (a, tick, id) -> {
            if (tick == T0 + 2_000 && failures.getAndDecrement() > 0) {
                throw new IllegalStateException("Kafka unavailable");
            }
            fired.add(tick);
        };
        AlarmScheduler s = scheduler("c0", alarm("* * * * * *"), flaky, 1000);
        waitFor("leadership", s::isLeader);
        now.set(T0 + 3_000);
        waitFor("a first failure", () -> failures.get() == 1);
        now.set(T0 + 5_000); // past the retry delay
        waitFor("a second failure", () -> failures.get() == 0);
        assertEquals(seconds(1, 1), fired);
        now.set(T0 + 7_000);
        waitFor("seven fires", () -> fired.size() >= 7);
        assertEquals(seconds(1, 7), fired);
    }

    @Test
    void startAndStopDatesBoundTheTicks() throws Exception {
        AlarmScheduler s = scheduler("c0", alarm("* * * * * *",
                "{\"key\":\"startDate\",\"value\":\"2030-01-01T00:00:03.000Z\"}",
                "{\"key\":\"stopDate\",\"value\":" + (T0 + 6_000) + "}"), recording(), 1000);
        waitFor("leadership", s::isLeader);
        now.set(T0 + 10_000);
        waitFor("four fires", () -> fired.size() >= 4);
        Thread.sleep(300);
        assertEquals(seconds(3, 6), fired);
    }

    @Test
    void theStateOfADeletedAlarmIsForgotten() throws Exception {
        AlarmTrigger a = alarm("* * * * * *");
        List<AlarmTrigger> current = new java.util.concurrent.CopyOnWriteArrayList<>(List.of(a));
        CuratorFramework zk = Zk.connect(server.getConnectString(), Duration.ofSeconds(10));
        clients.add(zk);
        AlarmScheduler s = new AlarmScheduler(new Leadership(zk, ZkPaths.ALARMS_LEADER, "c0"), new AlarmTicks(zk), "c0",
                () -> List.copyOf(current), recording(), now::get, 60_000, 1000);
        s.start();
        schedulers.add(s);
        waitFor("leadership", s::isLeader);
        now.set(T0 + 2_000);
        waitFor("two fires", () -> fired.size() >= 2);
        assertTrue(zk.checkExists().forPath(AlarmScheduler.path(a)) != null);
        current.clear();
        s.reloadSoon();
        waitFor("the state removed", () -> {
            try {
                return zk.checkExists().forPath(AlarmScheduler.path(a)) == null;
            } catch (Exception e) {
                return false;
            }
        });
    }
}
