package dev.wisp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wisp.common.kafka.Topics;
import dev.wisp.common.zookeeper.MemberInfo;
import dev.wisp.it.cluster.LoadGenerator;
import dev.wisp.it.cluster.RecordCheck;
import dev.wisp.it.cluster.WispCluster;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Operators change the invoker fleet under load, on a cluster of real processes (2 controllers behind the gateway,
 * invokers started one by one): adding invokers raises throughput and they take work within seconds; a drained
 * invoker finishes its work and leaves; a killed invoker's backlog is taken over within 15 s; a killed controller
 * stops getting requests within 1 s. Every accepted activation id must end with one record. Kills that
 * {@link DurabilityIT} already counts for losses are here for the time bounds it does not assert.
 *
 * <p>Capacity, not CPU, bounds throughput: each invoker has 256 MB, two 128 MB containers, and the action sleeps
 * 500 ms, so one invoker completes at most 4 activations a second however idle the machine is.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScalingIT {
    private static final int INVOKER_MB = 256;
    private static final String SLEEPY = "sleepy";
    private static final String ECHO = "echo";

    private static WispCluster cluster;
    private static WispClient client;
    private static final List<String> report = new ArrayList<>();
    private static final List<LoadGenerator> running = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = WispCluster.builder().controllers(2).invokerMemoryMb(INVOKER_MB).start();
        client = new WispClient(cluster.apiHost(), cluster.auth());
        WispClient.Response r = client.put("/api/v1/namespaces/_/actions/" + SLEEPY,
                "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":\"function main(p) { return new Promise(r =>"
                        + " setTimeout(() => r({ n: p.n }), 500)); }\"},\"limits\":{\"memory\":128}}");
        assertEquals(200, r.status(), r.toString());
        r = client.put("/api/v1/namespaces/_/actions/" + ECHO,
                "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":\"function main(p) { return { n: p.n }; }\"},"
                        + "\"limits\":{\"memory\":128,\"concurrency\":8}}");
        assertEquals(200, r.status(), r.toString());
    }

    @AfterAll
    static void stop() {
        System.out.println("\n== scaling ==");
        report.forEach(System.out::println);
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Starts a load that ends with the test, whatever happens. */
    private static LoadGenerator load(String action, int perSecond) {
        LoadGenerator g = new LoadGenerator(cluster.apiHost(), cluster.auth(), action);
        running.add(g);
        g.start(perSecond);
        return g;
    }

    @AfterEach
    void stopLoads() throws InterruptedException {
        for (LoadGenerator g : running) {
            g.stop();
        }
        running.clear();
    }

    private static WispClient.Response admin(String method, String path, String token) {
        return client.request(method, path, null, token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
    }

    @Test
    @Order(0)
    void theFleetApiNeedsTheAdminToken() {
        assertEquals(401, admin("GET", "/admin/fleet", null).status());
        WispClient.Response wrong = admin("GET", "/admin/fleet", "not-the-token");
        assertEquals(401, wrong.status(), wrong.toString());
        assertTrue(wrong.json().path("code").asText().length() > 0, wrong.toString());
        // A user's own credentials are no admin credentials.
        assertEquals(401, client.request("GET", "/admin/fleet", null).status());

        WispClient.Response fleet = admin("GET", "/admin/fleet", cluster.adminToken());
        assertEquals(200, fleet.status(), fleet.toString());
        JsonNode invokers = fleet.json().path("invokers");
        assertEquals(1, invokers.size(), fleet.toString());
        JsonNode one = invokers.get(0);
        assertEquals("inv-0", one.path("name").asText());
        assertEquals("healthy", one.path("state").asText());
        assertEquals(INVOKER_MB, one.path("memoryMb").asInt());
        assertEquals(INVOKER_MB - one.path("usedMb").asInt(), one.path("freeMb").asInt());
        assertTrue(one.path("heartbeatAgeMs").asLong() >= 0 && one.has("containers") && one.has("backlog"), fleet.toString());
        assertEquals(2, fleet.json().path("controllers").size(), fleet.toString());

        WispClient.Response bad = admin("POST", "/admin/fleet/invokers/inv-0/drain", cluster.adminToken());
        assertEquals(400, bad.status(), bad.toString());
        assertTrue(bad.json().path("error").asText().contains("not an invoker id"), bad.toString());
        WispClient.Response unknown = admin("POST", "/admin/fleet/invokers/invoker99/drain", cluster.adminToken());
        assertEquals(404, unknown.status(), unknown.toString());
    }

    @Test
    @Order(1)
    void addingInvokersUnderLoadRaisesThroughput() throws Exception {
        // Each phase offers more than its invokers complete, so what completes is their capacity.
        LoadGenerator one = load(SLEEPY, 8); // twice what one invoker completes
        Thread.sleep(6_000); // both containers of the first invoker are warm
        long window1 = System.currentTimeMillis();
        Thread.sleep(12_000);
        long window1End = System.currentTimeMillis();
        // Paused while the new JVMs start (slowly, on a busy machine), so the first invoker's queue stays short.
        one.stop();

        cluster.launchInvoker("inv-1");
        cluster.launchInvoker("inv-2");
        Map<String, Long> registered = new HashMap<>();
        long deadline = System.currentTimeMillis() + 180_000;
        while (registered.size() < 2 && System.currentTimeMillis() < deadline) {
            for (String name : List.of("inv-1", "inv-2")) {
                if (!registered.containsKey(name) && cluster.invoker(name) != null) {
                    registered.put(name, System.currentTimeMillis());
                }
            }
            Thread.sleep(50);
        }
        assertEquals(Set.of("inv-1", "inv-2"), registered.keySet(), "new invokers did not register");
        LoadGenerator three = load(SLEEPY, 14); // more than three invokers complete
        long loadAgain = System.currentTimeMillis();
        // A new invoker takes work within seconds: under load, its first run starts <= 10 s after it registered
        // (or after the load resumed, when that was later).
        Map<String, Long> firstWork = new HashMap<>();
        deadline = loadAgain + 10_000;
        while (firstWork.size() < 2 && System.currentTimeMillis() < deadline) {
            for (String name : registered.keySet()) {
                if (!firstWork.containsKey(name) && !cluster.journal(name).isEmpty()) {
                    firstWork.put(name, System.currentTimeMillis() - Math.max(loadAgain, registered.get(name)));
                }
            }
            Thread.sleep(50);
        }
        assertEquals(Set.of("inv-1", "inv-2"), firstWork.keySet(),
                "a new invoker ran nothing within 10 s under load (ran: " + firstWork + ")");

        long window2 = loadAgain + 5_000;
        Thread.sleep(Math.max(0, window2 + 12_000 - System.currentTimeMillis()));
        long window2End = System.currentTimeMillis();
        three.stop();

        Map<String, JsonNode> records = awaitRecords("scale 1 -> 3 (1 invoker)", one);
        records.putAll(awaitRecords("scale 1 -> 3 (3 invokers)", three));
        double before = completedPerSecond(records, window1, window1End);
        double after = completedPerSecond(records, window2, window2End);
        report.add(String.format("scale 1 -> 3 invokers: %.1f/s completed with 1, %.1f/s with 3 (x%.2f); first run on"
                + " a new invoker %s ms after it could; registration took %d s; %d accepted, 0 lost", before, after,
                after / before, firstWork, (registered.values().stream().max(Long::compare).orElseThrow()
                        - window1End) / 1000, one.accepted().size() + three.accepted().size()));
        System.out.println(report.get(report.size() - 1));
        assertTrue(before > 0, "nothing completed with one invoker");
        assertTrue(after >= 1.8 * before, String.format("throughput did not rise enough: %.1f/s -> %.1f/s", before, after));
    }

    @Test
    @Order(2)
    void aDrainedInvokerFinishesItsWorkAndLeaves() throws Exception {
        LoadGenerator load = load(SLEEPY, 8);
        Thread.sleep(5_000);
        String victim = busiest(List.of("inv-1", "inv-2"));
        String id = cluster.invoker(victim).id();
        int ranBefore = cluster.journal(victim).size();

        WispClient.Response drain = admin("POST", "/admin/fleet/invokers/" + id + "/drain", cluster.adminToken());
        long drainAt = System.currentTimeMillis();
        assertEquals(202, drain.status(), drain.toString());
        assertEquals(victim, drain.json().path("name").asText());
        WispClient.Response fleet = admin("GET", "/admin/fleet", cluster.adminToken());
        assertTrue(fleet.body().contains("\"draining\""), "not shown draining: " + fleet);

        long deadline = drainAt + 60_000;
        while (cluster.invokerAlive(victim) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        long exitedAfter = System.currentTimeMillis() - drainAt;
        assertTrue(!cluster.invokerAlive(victim), () -> victim + " still runs 60 s after the drain request; its"
                + " log ends:\n" + cluster.invokerLogTail(victim, 40));
        assertNull(cluster.invoker(victim), victim + " exited but is still announced");
        Thread.sleep(2_000); // the load goes on without it
        load.stop();

        Map<String, JsonNode> records = awaitRecords("drain", load);
        // It took no new work: whatever it ran was accepted before the controllers saw it draining (< 2 s).
        Map<String, Long> accepted = load.accepted();
        List<String> late = cluster.journal(victim).stream()
                .filter(a -> accepted.containsKey(a) && accepted.get(a) > drainAt + 2_000).toList();
        report.add(String.format("drain %s (%s): exited %d ms after the request, ran %d activations (%d while"
                + " draining), %d accepted, 0 lost", id, victim, exitedAfter, cluster.journal(victim).size(),
                cluster.journal(victim).size() - ranBefore, accepted.size()));
        System.out.println(report.get(report.size() - 1));
        assertTrue(ranBefore > 0, victim + " had run nothing before the drain; the scenario proves little");
        assertTrue(late.isEmpty(), "a draining invoker took new work: " + late);
        assertEquals(accepted.size(), records.size());
    }

    @Test
    @Order(3)
    void aKilledInvokersBacklogIsTakenOverWithin15Seconds() throws Exception {
        LoadGenerator load = load(SLEEPY, 8); // what the two remaining invokers complete: both are busy when one dies
        Thread.sleep(6_000);
        List<String> alive = new ArrayList<>();
        for (String name : List.of("inv-0", "inv-1", "inv-2")) {
            if (cluster.invoker(name) != null) {
                alive.add(name);
            }
        }
        assertEquals(2, alive.size(), "expected two invokers: " + alive);
        String victim = busiest(alive);
        String id = cluster.invoker(victim).id();
        String group = "invoker-" + id.substring("invoker".length());
        String topic = Topics.invoker(id);

        long killAt = System.currentTimeMillis();
        cluster.kill9Invoker(victim);
        // The victim's backlog is what its consumer group has not committed: activations it had queued or running
        // and those the controllers still send it until its ZooKeeper session expires. Offsets are committed only
        // once an activation's record is stored, so the first commit after the kill is the first of its
        // activations completed by a survivor ("taken over"); committed == end is "backlog empty".
        long[] atKill = cluster.kafka().progress(group, topic);
        long takenOverAt = -1;
        long emptyAt = -1;
        long[] now = atKill;
        long deadline = killAt + 60_000;
        while (System.currentTimeMillis() < deadline && emptyAt < 0) {
            now = cluster.kafka().progress(group, topic);
            if (takenOverAt < 0 && now[0] > atKill[0]) {
                takenOverAt = System.currentTimeMillis();
                load.stop(); // the rest only needs to drain
            }
            if (takenOverAt > 0 && now[0] == now[1]) {
                emptyAt = System.currentTimeMillis();
            }
            Thread.sleep(250);
        }
        load.stop();
        Map<String, JsonNode> records = awaitRecords("kill -9 invoker", load);
        String takeover = takenOverAt < 0 ? "never" : (takenOverAt - killAt) + " ms";
        String empty = emptyAt < 0 ? "not within 60 s" : (emptyAt - killAt) + " ms";
        report.add(String.format("kill -9 %s (%s): %d activations uncommitted at the kill, %d sent to it in all;"
                + " first taken over after %s, backlog empty after %s; %d accepted, 0 lost", id, victim,
                atKill[1] - Math.max(0, atKill[0]), now[1] - Math.max(0, atKill[0]), takeover, empty,
                load.accepted().size()));
        System.out.println(report.get(report.size() - 1));
        assertTrue(now[1] > Math.max(0, atKill[0]), victim + " had no backlog to take over; the scenario proves little");
        assertTrue(takenOverAt > 0 && takenOverAt - killAt <= 15_000, "backlog not taken over within 15 s: " + takeover);
        assertEquals(load.accepted().size(), records.size());
    }

    @Test
    @Order(4)
    void theGatewayStopsRoutingToAKilledControllerWithinASecond() throws Exception {
        LoadGenerator load = load(ECHO, 25);
        Thread.sleep(4_000);
        assertTrue(forwardedTo("controller1") > 0, "the gateway sent controller1 nothing before the kill");
        long killAt = System.currentTimeMillis();
        cluster.kill9Controller("controller1");
        Thread.sleep(Math.max(0, killAt + 1_000 - System.currentTimeMillis()));
        long routedAfterOneSecond = forwardedTo("controller1");
        Thread.sleep(5_000);
        long routedAtEnd = forwardedTo("controller1");
        load.stop();

        Map<String, JsonNode> records = awaitRecords("kill -9 controller", load);
        List<Long> failed = load.refusedAt().stream().filter(t -> t >= killAt).toList();
        long window = failed.stream().max(Comparator.naturalOrder()).map(t -> t - killAt).orElse(0L);
        long acceptedLater = load.accepted().values().stream().filter(t -> t > killAt + 1_000).count();
        report.add(String.format("kill -9 controller1 at 25/s: %d requests failed, the last %d ms after the kill"
                + " (before it: %d); %d accepted after the first second; %d accepted, 0 lost", failed.size(), window,
                load.refusedAt().size() - failed.size(), acceptedLater, load.accepted().size()));
        System.out.println(report.get(report.size() - 1));
        assertTrue(window <= 1_000, "requests failed for " + window + " ms after the kill: " + load.refused());
        assertEquals(routedAfterOneSecond, routedAtEnd, "the gateway still routed to the dead controller after 1 s");
        assertTrue(acceptedLater > 50, "few requests went through after the kill: " + acceptedLater);
        assertEquals(load.accepted().size(), records.size());
    }

    /** The live invoker (of these names) with the most work announced, i.e. containers plus backlog. */
    private static String busiest(List<String> names) throws Exception {
        String best = null;
        int most = -1;
        for (String name : names) {
            MemberInfo m = cluster.invoker(name);
            assertNotNull(m, name + " is not announced");
            int work = m.containers() + m.backlog();
            if (work > most) {
                most = work;
                best = name;
            }
        }
        return best;
    }

    private static double completedPerSecond(Map<String, JsonNode> records, long from, long to) {
        long n = records.values().stream().mapToLong(r -> r.path("end").asLong()).filter(e -> e >= from && e < to).count();
        return n * 1000.0 / (to - from);
    }

    /** Waits for a record of every accepted id (at most 3 min) and asserts none is lost. */
    private static Map<String, JsonNode> awaitRecords(String scenario, LoadGenerator load) throws Exception {
        assertTrue(load.failures().isEmpty(), scenario + ": answers other than 2xx and 503: " + load.failures());
        Map<String, Long> accepted = load.accepted();
        assertTrue(accepted.size() * 2 >= load.sent(), scenario + ": fewer than half accepted: " + load.refused()
                + " " + load.errors());
        RecordCheck check = new RecordCheck(cluster.storeUrl());
        Map<String, JsonNode> records = new HashMap<>();
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            records = new HashMap<>(check.records(accepted.keySet()));
            if (records.size() == accepted.size()) {
                break;
            }
            Thread.sleep(500);
        }
        assertEquals(accepted.size(), records.size(), scenario + ": accepted activations without a final record");
        for (Map.Entry<String, JsonNode> e : records.entrySet()) {
            assertEquals(e.getKey(), e.getValue().path("activationId").asText());
        }
        return records;
    }

    /** The gateway's count of requests forwarded to a controller, from its {@code /metrics}. */
    private static long forwardedTo(String controller) {
        WispClient.Response m = client.request("GET", "/metrics", null);
        assertEquals(200, m.status());
        Matcher x = Pattern.compile("wisp_gateway_forwarded_total\\{controller=\"" + controller + "\"} (\\d+)")
                .matcher(m.body());
        return x.find() ? Long.parseLong(x.group(1)) : 0;
    }
}
