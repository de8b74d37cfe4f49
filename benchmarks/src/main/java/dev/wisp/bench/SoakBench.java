package dev.wisp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wisp.it.cluster.Links;
import dev.wisp.it.cluster.LoadGenerator;
import dev.wisp.it.cluster.RecordCheck;
import dev.wisp.it.cluster.WispCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code ./wisp bench soak [--minutes=N] [--seed=S]}: a cluster of real processes (3 ZooKeeper servers, 3 Kafka
 * brokers, 2 controllers, 3 invokers, the gateway, the store) under mixed load — non-blocking and blocking
 * invokes, sequences, trigger fires — with a random fault every 2 minutes: kill -9 of an invoker, a controller,
 * a broker, the ZooKeeper leader or the store; an invoker frozen for 60 s; an invoker cut from Kafka, ZooKeeper
 * or the store by a TCP proxy. Every accepted id is counted: lost (must be 0), run twice, and the worst delay
 * from acceptance to its record, per fault window. The first window has no fault: it is the floor the others
 * compare with.
 */
final class SoakBench {
    private static final Duration WINDOW = Duration.ofMinutes(2);

    private final Duration length;
    private final long seed;

    SoakBench(Duration length, long seed) {
        this.length = length;
        this.seed = seed;
    }

    private interface Fault {
        void inject() throws Exception;
    }

    private record Injected(String name, long at) {
    }

    void run(Path results) throws Exception {
        Random random = new Random(seed);
        try (WispCluster cluster = WispCluster.builder().zooKeepers(3).brokers(3).controllers(2).invokers(3).start()) {
            String api = cluster.apiHost();
            define(api, cluster.auth());
            // one invoker lives behind proxies, so that its links can be cut
            String cuttable = cluster.invokerNames().get(2);
            Links links = cluster.restartInvokerBehindLinks(cuttable);
            Map<String, Fault> faults = faults(cluster, links, cuttable, random);

            List<LoadGenerator> loads = List.of(
                    new LoadGenerator(api, cluster.auth(), "soak-a"),
                    LoadGenerator.posting(api, cluster.auth(), "/api/v1/namespaces/_/actions/soak-b?blocking=true"),
                    LoadGenerator.posting(api, cluster.auth(), "/api/v1/namespaces/_/actions/soak-seq"),
                    LoadGenerator.posting(api, cluster.auth(), "/api/v1/namespaces/_/triggers/soak-t"));
            int[] rates = {12, 4, 2, 2};
            long started = System.currentTimeMillis();
            for (int i = 0; i < loads.size(); i++) {
                loads.get(i).start(rates[i]);
            }
            List<Injected> injected = new ArrayList<>();
            List<String> names = new ArrayList<>(faults.keySet());
            for (long at = WINDOW.toMillis(); at < length.toMillis(); at += WINDOW.toMillis()) {
                Thread.sleep(Math.max(0, started + at - System.currentTimeMillis())); // the next fault's time
                String name = names.get(random.nextInt(names.size()));
                System.out.printf("[soak] %5.1f min: %s%n", (System.currentTimeMillis() - started) / 60_000.0, name);
                injected.add(new Injected(name, System.currentTimeMillis()));
                try {
                    faults.get(name).inject();
                } catch (Exception e) {
                    System.out.println("[soak] the fault could not be injected whole: " + e);
                }
            }
            Thread.sleep(Math.max(0, started + length.toMillis() - System.currentTimeMillis()));
            for (LoadGenerator g : loads) {
                g.stop();
            }

            Map<String, Long> accepted = new HashMap<>();
            List<Long> refusedAt = new ArrayList<>();
            Map<Integer, Integer> refusedBy = new java.util.TreeMap<>();
            int sent = 0;
            for (LoadGenerator g : loads) {
                accepted.putAll(g.accepted());
                refusedAt.addAll(g.refusedAt());
                g.refused().forEach((status, n) -> refusedBy.merge(status, n, Integer::sum));
                sent += g.sent();
            }
            Map<String, JsonNode> records = new RecordCheck(cluster.storeUrl()).awaitRecords(accepted.keySet(),
                    Duration.ofMinutes(10));
            Map<String, Integer> runs = new HashMap<>();
            for (String id : cluster.journal()) {
                if (accepted.containsKey(id)) {
                    runs.merge(id, 1, Integer::sum);
                }
            }
            Report report = new Report("soak");
            List<Injected> windows = new ArrayList<>();
            windows.add(new Injected("no fault (the floor)", started));
            windows.addAll(injected);
            for (int w = 0; w < windows.size(); w++) {
                long from = windows.get(w).at();
                long to = w + 1 < windows.size() ? windows.get(w + 1).at() : Long.MAX_VALUE;
                int in = 0;
                int lost = 0;
                int twice = 0;
                long maxDelay = 0;
                for (Map.Entry<String, Long> a : accepted.entrySet()) {
                    if (a.getValue() < from || a.getValue() >= to) {
                        continue;
                    }
                    in++;
                    JsonNode r = records.get(a.getKey());
                    if (r == null) {
                        lost++;
                    } else {
                        // a trigger's record has no end (as in OpenWhisk): its start, when the fire was taken
                        maxDelay = Math.max(maxDelay, r.path("end").asLong(r.path("start").asLong()) - a.getValue());
                    }
                    twice += Math.max(0, runs.getOrDefault(a.getKey(), 1) - 1);
                }
                int refused = (int) refusedAt.stream().filter(t -> t >= from && t < to).count();
                report.outcome(windows.get(w).name(), in, refused, lost, twice, maxDelay);
            }
            int lost = accepted.size() - records.size();
            int duplicates = runs.values().stream().mapToInt(n -> n - 1).sum();
            report.outcome("all (" + sent + " sent, " + length.toMinutes() + " min)", accepted.size(),
                    refusedAt.size(), lost, duplicates, 0);
            report.print();
            System.out.println("refused by status (0: no answer, -1: not sent, 256 in flight): " + refusedBy);
            System.out.println("seed " + seed + "; wrote " + report.write(results));
        }
    }

    /** The actions, the sequence, the trigger and its rule the load uses. */
    private static void define(String api, String auth) throws Exception {
        String code = "function main(p) { return {n: p.n}; }";
        put(api, auth, "/actions/soak-a", "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":\"" + code
                + "\"},\"limits\":{\"memory\":128,\"concurrency\":4}}");
        put(api, auth, "/actions/soak-b", "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":\"" + code
                + "\"},\"limits\":{\"memory\":128,\"concurrency\":4}}");
        put(api, auth, "/actions/soak-seq", "{\"exec\":{\"kind\":\"sequence\",\"components\":"
                + "[\"/_/soak-a\",\"/_/soak-b\"]}}");
        put(api, auth, "/triggers/soak-t", "{}");
        put(api, auth, "/rules/soak-r", "{\"trigger\":\"/_/soak-t\",\"action\":\"/_/soak-a\"}");
    }

    private static void put(String api, String auth, String path, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(api + "/api/v1/namespaces/_" + path + "?overwrite=true"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        auth.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("PUT " + path + ": " + r.statusCode() + " " + r.body());
        }
    }

    private static Map<String, Fault> faults(WispCluster cluster, Links links, String cuttable, Random random) {
        Map<String, Fault> f = new java.util.LinkedHashMap<>();
        List<String> invokers = cluster.invokerNames();
        List<String> controllers = cluster.controllerIds();
        f.put("kill -9 an invoker", () -> {
            String victim = invokers.get(random.nextInt(invokers.size() - 1)); // not the one behind proxies
            cluster.kill9Invoker(victim);
            Thread.sleep(15_000); // down for a while
            cluster.startInvoker(victim);
        });
        f.put("kill -9 a controller", () -> {
            String victim = controllers.get(random.nextInt(controllers.size()));
            cluster.kill9Controller(victim);
            Thread.sleep(15_000);
            cluster.startController(victim);
        });
        f.put("kill -9 a Kafka broker", () -> {
            int node = 1 + random.nextInt(3);
            cluster.kafka().kill9(node);
            Thread.sleep(10_000);
            cluster.kafka().restart(node);
            cluster.kafka().awaitBrokers(3);
        });
        f.put("kill the ZooKeeper leader", () -> {
            var spec = cluster.killZooKeeperLeader();
            Thread.sleep(10_000);
            cluster.restartZooKeeper(spec);
        });
        f.put("kill -9 the store", cluster::kill9Store);
        f.put("freeze an invoker for 60 s", () -> {
            String victim = invokers.get(random.nextInt(invokers.size() - 1));
            cluster.freezeInvoker(victim);
            try {
                Thread.sleep(60_000);
            } finally {
                cluster.thawInvoker(victim);
            }
        });
        f.put("cut " + cuttable + " from Kafka for 45 s", partition(links::cutKafka, 45, links::healKafka));
        f.put("cut " + cuttable + " from ZooKeeper for 30 s", partition(links::cutZooKeeper, 30,
                links::healZooKeeper));
        f.put("cut " + cuttable + " from the store for 30 s", partition(links::cutStore, 30, links::healStore));
        return f;
    }

    private static Fault partition(Runnable cut, int seconds, Runnable heal) {
        return () -> {
            cut.run();
            try {
                Thread.sleep(seconds * 1000L);
            } finally {
                heal.run();
            }
        };
    }
}
