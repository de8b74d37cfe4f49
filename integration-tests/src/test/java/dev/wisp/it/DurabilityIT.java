package dev.wisp.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wisp.it.cluster.Links;
import dev.wisp.it.cluster.LoadGenerator;
import dev.wisp.it.cluster.RecordCheck;
import dev.wisp.it.cluster.WispCluster;
import dev.wisp.it.cluster.WithCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.curator.test.InstanceSpec;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Wisp's promise, tested with real processes: under a steady load of non-blocking invokes, kill things; every
 * activation id answered 2xx must end with exactly one final record, whatever died. Each scenario counts every
 * id: accepted, lost (must be 0), duplicate executions (only what an invoker hit by the fault had started may run
 * again), and the worst delay from acceptance to the record.
 */
@WithCluster(zooKeepers = 3, brokers = 3, controllers = 2, invokers = 2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DurabilityIT {
    private static final int RATE = 24;
    private static final Duration LOAD = Duration.ofSeconds(90);
    private static final Duration FAULT_AT = Duration.ofSeconds(30);
    private static final int ACTIONS = 8;

    private static WispCluster cluster;
    private static final List<String> table = new ArrayList<>();
    private static final ExecutorService faults = Executors.newSingleThreadExecutor();

    @BeforeAll
    static void start(WispCluster started) throws Exception {
        cluster = started;
        WispClient client = new WispClient(cluster.apiHost(), cluster.auth());
        for (int i = 0; i < ACTIONS; i++) {
            WispClient.Response r = client.put("/api/v1/namespaces/_/actions/durable" + i,
                    "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":\"function main(p) { return { n: p.n }; }\"},"
                            + "\"limits\":{\"memory\":128,\"concurrency\":4}}");
            assertEquals(200, r.status(), r.toString());
        }
        table.add(String.format("%-34s %6s %8s %8s %6s %10s %14s", "scenario", "sent", "accepted", "refused", "lost",
                "duplicates", "max delay ms"));
    }

    @AfterAll
    static void stop() {
        faults.shutdownNow();
        System.out.println("\n== durability (" + RATE + "/s for " + LOAD.toSeconds() + " s per scenario) ==");
        table.forEach(System.out::println);
    }

    interface Fault {
        void inject() throws Exception;
    }

    /**
     * The bound for an invoker that stops working while its work waits in its topic (frozen, cut from Kafka): its
     * ZooKeeper session lapses or it turns unhealthy (20 s of stale pings, then 10 s), another invoker adopts the
     * topic, Kafka rebalances; observed 7 to 34 s, bounded at 90 s on two shared cores.
     */
    private static final long BACKLOG_MOVES_MS = 90_000;
    /** The worst delay from acceptance to the final record, faults included (recovery on two shared cores). */
    private static final long MAX_DELAY_MS = 240_000;

    /** Runs the load over all actions, injects the fault part-way, then counts every accepted id. */
    private static void scenario(String name, Fault fault) throws Exception {
        scenario(name, null, fault, MAX_DELAY_MS);
    }

    /** A fault that hits the invoker {@code faulted}: what it was running may run again elsewhere. */
    private static void scenario(String name, String faulted, Fault fault) throws Exception {
        scenario(name, faulted, fault, MAX_DELAY_MS);
    }

    /** @param maxDelayMs the worst delay from acceptance to the final record this scenario allows */
    private static void scenario(String name, String faulted, Fault fault, long maxDelayMs) throws Exception {
        awaitReady(name);
        long started = System.currentTimeMillis();
        List<LoadGenerator> loads = new ArrayList<>();
        for (int i = 0; i < ACTIONS; i++) {
            loads.add(new LoadGenerator(cluster.apiHost(), cluster.auth(), "durable" + i));
        }
        ExecutorService runners = Executors.newFixedThreadPool(ACTIONS);
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (LoadGenerator g : loads) {
            running.add(CompletableFuture.runAsync(() -> {
                try {
                    g.run(Math.max(1, RATE / ACTIONS), LOAD);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, runners));
        }
        long[] faultAt = new long[1];
        CompletableFuture<Void> injected = CompletableFuture.runAsync(() -> {
            try {
                faultAt[0] = System.currentTimeMillis();
                fault.inject();
            } catch (Exception e) {
                throw new IllegalStateException("fault injection failed", e);
            }
        }, CompletableFuture.delayedExecutor(FAULT_AT.toMillis(), TimeUnit.MILLISECONDS, faults));
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get();
        injected.get();
        runners.shutdown();

        int sent = loads.stream().mapToInt(LoadGenerator::sent).sum();
        Map<String, Long> accepted = new HashMap<>();
        Map<Integer, Integer> refused = new HashMap<>();
        List<String> failures = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<Long> refusedAt = new ArrayList<>();
        for (LoadGenerator g : loads) {
            accepted.putAll(g.accepted());
            g.refused().forEach((k, v) -> refused.merge(k, v, Integer::sum));
            failures.addAll(g.failures());
            errors.addAll(g.errors());
            refusedAt.addAll(g.refusedAt());
        }
        System.out.println(name + ": accepted and refused per 10 s from the start: "
                + timeline(started, accepted.values(), refusedAt) + "\n  why some got no answer: "
                + errors.stream().distinct().limit(5).toList());
        // recovery drains a backlog of up to ~2,000 activations; on a loaded 2-core machine that took up to ~2.5 min
        // alone and over 5 min when other test runs shared the cores: wait up to 8 min (only a slow run waits)
        Map<String, JsonNode> records = new RecordCheck(cluster.storeUrl()).awaitRecords(accepted.keySet(),
                Duration.ofMinutes(8));
        int lost = accepted.size() - records.size();
        Map<String, Integer> runs = new HashMap<>();
        for (String id : cluster.journal()) {
            if (accepted.containsKey(id)) {
                runs.merge(id, 1, Integer::sum);
            }
        }
        int duplicates = runs.values().stream().mapToInt(n -> n - 1).sum();
        // An activation the invoker hit by the fault had started runs again elsewhere (it has no record yet);
        // nothing else may run twice.
        Set<String> hitRuns = faulted == null ? Set.of() : Set.copyOf(cluster.journal(faulted));
        List<String> ranTwice = runs.entrySet().stream().filter(e -> e.getValue() > 1 && !hitRuns.contains(e.getKey()))
                .map(Map.Entry::getKey).limit(10).toList();
        long maxDelay = 0;
        long firstAfterFault = Long.MAX_VALUE;
        for (Map.Entry<String, JsonNode> e : records.entrySet()) {
            maxDelay = Math.max(maxDelay, e.getValue().path("end").asLong() - accepted.get(e.getKey()));
            if (e.getValue().path("end").asLong() >= faultAt[0]) {
                firstAfterFault = Math.min(firstAfterFault, e.getValue().path("end").asLong() - faultAt[0]);
            }
        }
        int refusedTotal = refused.values().stream().mapToInt(Integer::intValue).sum();
        table.add(String.format("%-34s %6d %8d %8d %6d %10d %14d", name, sent, accepted.size(), refusedTotal, lost,
                duplicates, maxDelay));
        System.out.println(table.get(0) + "\n" + table.get(table.size() - 1) + "  refused by status: " + refused
                + "; first completion " + firstAfterFault + " ms after the fault");

        assertTrue(failures.isEmpty(), "answers other than 2xx and 503: " + failures.subList(0, Math.min(5, failures.size())));
        // The offered load is the issue's: at least 2,000 invokes over at least 60 s. A 503 (or no answer) is allowed
        // for what was not accepted, but most must be, or the scenario proves little.
        assertTrue(sent >= 2000, name + ": fewer than 2,000 invocations sent: " + sent);
        assertTrue(accepted.size() * 2 >= sent, name + ": fewer than half accepted: " + accepted.size() + " of "
                + sent + " (refused: " + refused + "; no answer because: " + errors.stream().distinct().limit(3).toList() + ")");
        assertEquals(0, lost, name + ": accepted activations without a final record");
        assertEquals(List.of(), ranTwice, name + ": accepted activations ran more than once though no invoker the"
                + " fault hit had run them (" + duplicates + " ran twice in all)");
        assertTrue(maxDelay <= maxDelayMs, name + ": an activation took " + maxDelay + " ms to its record, over the"
                + " bound of " + maxDelayMs + " ms");
        for (Map.Entry<String, JsonNode> e : records.entrySet()) {
            assertEquals(e.getKey(), e.getValue().path("activationId").asText());
        }
    }

    /**
     * Each scenario starts on a cluster that accepts work (the previous one's fault has healed) and has a warm
     * container for every action: a scenario measures the recovery from its fault, but an invoker restarted for
     * it (behind cuttable links) starts with no container, and on a loaded Docker engine the cold starts under
     * the load took most of a minute, counted as the fault's delay. One blocking invoke of each action warms
     * its home invoker (the load's own invokes are counted; these are not).
     */
    private static void awaitReady(String name) throws Exception {
        awaitAccepting(name);
        WispClient client = new WispClient(cluster.apiHost(), cluster.auth());
        ExecutorService warmers = Executors.newFixedThreadPool(ACTIONS);
        try {
            List<CompletableFuture<Void>> warmed = new ArrayList<>();
            for (int i = 0; i < ACTIONS; i++) {
                String action = "durable" + i;
                warmed.add(CompletableFuture.runAsync(() -> awaitWarm(client, action), warmers));
            }
            CompletableFuture.allOf(warmed.toArray(CompletableFuture[]::new)).get();
        } finally {
            warmers.shutdownNow();
        }
    }

    /** Invokes {@code action} blocking until it answers 200: its home invoker has a warm container of it. */
    private static void awaitWarm(WispClient client, String action) {
        await("a warm container of " + action).atMost(Duration.ofMinutes(3)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> client.post("/api/v1/namespaces/_/actions/" + action + "?blocking=true", "{\"n\":0}")
                        .status() == 200);
    }

    /** The cluster accepts work (the previous scenario's fault has healed). */
    private static void awaitAccepting(String name) throws Exception {
        WispClient client = new WispClient(cluster.apiHost(), cluster.auth());
        WispClient.Response[] last = new WispClient.Response[1];
        try {
            await().atMost(Duration.ofMinutes(3)).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions().until(() -> {
                        last[0] = client.post("/api/v1/namespaces/_/actions/durable0", "{\"n\":0}");
                        return last[0].status() == 202;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("before \"" + name + "\": the cluster did not accept an invoke within 3 min: "
                    + last[0]);
        }
    }

    /** "accepted/refused" per 10 s bucket, to see when a scenario's answers stopped and came back. */
    private static String timeline(long start, java.util.Collection<Long> accepted, List<Long> refused) {
        int buckets = (int) (LOAD.toSeconds() / 10) + 7;
        int[] ok = new int[buckets];
        int[] no = new int[buckets];
        accepted.forEach(t -> ok[(int) Math.min(buckets - 1, Math.max(0, (t - start) / 10_000))]++);
        refused.forEach(t -> no[(int) Math.min(buckets - 1, Math.max(0, (t - start) / 10_000))]++);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < buckets; i++) {
            out.append(' ').append(ok[i]).append('/').append(no[i]);
        }
        return out.toString();
    }

    @Test
    @Order(1)
    void killAnInvokerMidStream() throws Exception {
        scenario("kill -9 an invoker", "inv-1", () -> cluster.kill9Invoker("inv-1"));
        cluster.startInvoker("inv-1");
    }

    @Test
    @Order(2)
    void killAController() throws Exception {
        scenario("kill -9 a controller", () -> cluster.kill9Controller("controller1"));
        cluster.startController("controller1");
    }

    @Test
    @Order(3)
    void restartAKafkaBroker() throws Exception {
        scenario("restart a Kafka broker", () -> {
            cluster.kafka().kill9(2);
            Thread.sleep(5_000);
            cluster.kafka().restart(2);
        });
        cluster.kafka().awaitBrokers(3);
    }

    @Test
    @Order(4)
    void killThePartitionLeaderFiveTimes() throws Exception {
        scenario("kill the partition leader 5 times", () -> {
            // Each kill comes once the previous victim is back in sync: killing a second replica before that would
            // leave fewer than min.insync.replicas, and Kafka (rightly) refuses writes until it heals.
            List<String> topics = List.of("wisp.invoker0", "wisp.invoker1", "wisp.completed.controller0",
                    "wisp.completed.controller1");
            for (int i = 0; i < 5; i++) {
                int leader = cluster.kafka().leaderOf("wisp.invoker0");
                cluster.kafka().kill9(leader);
                Thread.sleep(3_000);
                cluster.kafka().restart(leader);
                cluster.kafka().awaitBrokers(3);
                cluster.kafka().awaitFullIsr(topics);
            }
        });
    }

    /**
     * A wedged invoker (SIGSTOP for 60 s: a frozen VM, a swap storm): its ZooKeeper session and its Kafka group
     * membership lapse, another invoker takes its topic and runs its backlog; thawed, it runs nothing that already
     * has a record.
     */
    @Test
    @Order(6)
    void freezeAnInvokerForAMinute() throws Exception {
        scenario("SIGSTOP an invoker for 60 s", "inv-0", () -> {
            cluster.freezeInvoker("inv-0");
            try {
                Thread.sleep(60_000); // the fault's length
            } finally {
                cluster.thawInvoker("inv-0");
            }
        }, BACKLOG_MOVES_MS);
    }

    /** A fault that lasts: cut one of the links, wait out the partition, heal (also when the wait is interrupted). */
    private static Fault partition(Links links, Consumer<Links> cut, Duration length, Consumer<Links> heal) {
        return () -> {
            cut.accept(links);
            try {
                Thread.sleep(length.toMillis()); // the partition's length
            } finally {
                heal.accept(links);
            }
        };
    }

    /**
     * An invoker cut from every Kafka broker while its ZooKeeper session lives: its pings stop coming back, it
     * announces itself unhealthy, and after {@code OrphanWatch.UNHEALTHY_MILLIS} the other invoker takes its
     * topic (Kafka has already dropped it from the consumer group); healed, it gets its topic back.
     */
    @Test
    @Order(7)
    void cutAnInvokerFromKafka() throws Exception {
        scenario("invoker cut from Kafka for 45 s", "inv-1", partition(cluster.restartInvokerBehindLinks("inv-1"),
                Links::cutKafka, Duration.ofSeconds(45), Links::healKafka), BACKLOG_MOVES_MS);
    }

    /**
     * An invoker cut from ZooKeeper but not from Kafka: its session expires and the other invoker joins its
     * topic's consumer group; Kafka gives the one partition to one member at a time, so the two never both run it.
     */
    @Test
    @Order(8)
    void cutAnInvokerFromZooKeeper() throws Exception {
        scenario("invoker cut from ZooKeeper for 30 s", "inv-1", partition(cluster.restartInvokerBehindLinks("inv-1"),
                Links::cutZooKeeper, Duration.ofSeconds(30), Links::healZooKeeper));
    }

    /** A controller cut from Kafka answers 503 (its publishes time out), never 2xx for what it could not publish. */
    @Test
    @Order(9)
    void cutAControllerFromKafka() throws Exception {
        scenario("controller cut from Kafka for 30 s", partition(cluster.restartControllerBehindLinks("controller1"),
                Links::cutKafka, Duration.ofSeconds(30), Links::healKafka));
    }

    /** An invoker cut from the store: its records wait for the store (and its feed pauses when full), none lost. */
    @Test
    @Order(10)
    void cutAnInvokerFromTheStore() throws Exception {
        scenario("invoker cut from the store for 30 s", "inv-1", partition(cluster.restartInvokerBehindLinks("inv-1"),
                Links::cutStore, Duration.ofSeconds(30), Links::healStore));
    }

    /**
     * A graceful stop (SIGTERM: a deploy, a scale-down) while activations run: the invoker takes no new work, lets
     * the runs under way finish and commits them before it goes, so each ran once, on it, and every record says
     * the action succeeded. (It removed its containers first before: each run under way was recorded as "The
     * action did not produce a valid response and exited unexpectedly.")
     */
    @Test
    @Order(11)
    void stopAnInvokerWhileItRuns() throws Exception {
        WispClient client = new WispClient(cluster.apiHost(), cluster.auth());
        WispClient.Response r = client.put("/api/v1/namespaces/_/actions/slow",
                "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":\"function main(p) { return new Promise(r =>"
                        + " setTimeout(() => r({ n: p.n }), 3000)); }\"},\"limits\":{\"memory\":128,\"concurrency\":8}}");
        assertEquals(200, r.status(), r.toString());
        awaitAccepting("SIGTERM an invoker");
        awaitWarm(client, "slow");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            WispClient.Response accepted = client.post("/api/v1/namespaces/_/actions/slow", "{\"n\":" + i + "}");
            assertEquals(202, accepted.status(), accepted.toString());
            ids.add(accepted.json().path("activationId").asText());
        }
        String[] runner = new String[1];
        await("all eight run").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (String name : List.of("inv-0", "inv-1")) {
                if (cluster.journal(name).containsAll(ids)) {
                    runner[0] = name;
                    return true;
                }
            }
            return false;
        });
        cluster.stopInvoker(runner[0]);
        Map<String, JsonNode> records = new RecordCheck(cluster.storeUrl()).awaitRecords(ids, Duration.ofMinutes(3));
        cluster.startInvoker(runner[0]);
        assertEquals(ids.size(), records.size(), "accepted activations without a final record");
        List<String> failed = records.values().stream().filter(a -> !a.path("response").path("success").asBoolean())
                .map(a -> a.path("activationId").asText() + ": " + a.path("response").path("result")).toList();
        assertEquals(List.of(), failed, "the stop was recorded as the action's failure");
        Map<String, Integer> runs = new HashMap<>();
        for (String id : cluster.journal()) {
            if (ids.contains(id)) {
                runs.merge(id, 1, Integer::sum);
            }
        }
        assertTrue(runs.values().stream().allMatch(n -> n == 1), "each ran once: " + runs);
        table.add(String.format("%-34s %6d %8d %8d %6d %10d %14s", "SIGTERM an invoker running 8", ids.size(),
                ids.size(), 0, ids.size() - records.size(), 0, "-"));
    }

    @Test
    @Order(5)
    void killTheZooKeeperLeader() throws Exception {
        InstanceSpec[] killed = new InstanceSpec[1];
        scenario("kill the ZooKeeper leader of 3", () -> killed[0] = cluster.killZooKeeperLeader());
        cluster.restartZooKeeper(killed[0]);
    }
}
