package dev.wisp.it;

import static dev.wisp.it.WispClient.NS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Identity;
import dev.wisp.common.kafka.KafkaSender;
import dev.wisp.common.kafka.Topics;
import dev.wisp.common.message.ActivationId;
import dev.wisp.common.message.ActivationMessage;
import dev.wisp.common.message.TransactionId;
import dev.wisp.common.zookeeper.MemberInfo;
import dev.wisp.controller.activation.SequenceActivationIds;
import dev.wisp.it.cluster.RecordCheck;
import dev.wisp.it.cluster.WispCluster;
import dev.wisp.it.cluster.WithCluster;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Sequences survive the death of the controller running them: on a cluster of real processes (1 ZooKeeper, 1
 * broker, 2 controllers, 1 invoker) several non-blocking invokes of a sequence of three slow components are
 * accepted, the controller that runs most of them is killed with -9 mid-way, and every sequence activation id must
 * end with exactly one final record with the right result, listing its three component activations, each of which
 * ran once.
 */
@WithCluster(controllers = 2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SequenceFailoverIT {
    private static final int SEQUENCES = 10;

    /**
     * What a sequence's next controller does with the component in flight, played directly: the same activation
     * published twice to the invoker's topic, the second time while the first runs. The invoker runs it once; the
     * second delivery waits for the first run's record.
     */
    @Test
    @Order(1)
    void anActivationDeliveredAgainWhileItRunsRunsOnce(WispCluster cluster) throws Exception {
        WispClient client = new WispClient(cluster.controllerApi("controller0"), cluster.auth());
        assertEquals(200, client.put(NS + "/actions/slow-once", "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":"
                + "\"function main() { return new Promise(r => setTimeout(() => r({ done: true }), 4000)); }\"}}")
                .status());
        String invoker = cluster.liveInvokers().get(0).id();
        ActivationMessage m = message(cluster, HttpClient.newHttpClient(), "slow-once", true);
        ActivationId id = m.activationId();
        try (KafkaSender sender = new KafkaSender(cluster.kafka().bootstrap(), "duplicate-delivery-it",
                Duration.ofSeconds(30))) {
            for (int i = 0; i < 2; i++) {
                sender.send(Topics.invoker(invoker), id.value(), Json.encode(m)).toCompletionStage()
                        .toCompletableFuture().get();
                if (i == 0) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.journal().contains(id.value()));
                }
            }
        }
        JsonNode record = new RecordCheck(cluster.storeUrl()).awaitRecords(List.of(id.value()), Duration.ofSeconds(60))
                .get(id.value());
        assertTrue(record != null && record.path("response").path("result").path("done").asBoolean(),
                "no record of " + id + ": " + record);
        // the second delivery, read while the first ran, would have started by now
        assertEquals(1, cluster.journal().stream().filter(id.value()::equals).count(),
                "the activation ran more than once: " + cluster.journal());
    }

    /**
     * The same activation delivered twice while its first run fails in the system: that run hands it on to its next
     * attempt, and the second delivery ends there instead of starting a second chain of attempts (which
     * ran each attempt twice: the invoker counted four retries instead of two).
     */
    @Test
    @Order(2)
    void aDeliveryThatWaitedForARunThatWentOnToItsNextAttemptEndsThere(WispCluster cluster) throws Exception {
        String image = "wisp-it/never-starts-twice:" + ProcessHandle.current().pid();
        Path dir = Files.createTempDirectory("wisp-joined-retry-");
        Files.writeString(dir.resolve("Dockerfile"), "FROM wisp/base:bookworm\nENTRYPOINT [\"/no/such/program\"]\n");
        Process build = new ProcessBuilder("docker", "build", "-q", "-t", image, dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, build.waitFor(), out);
        try {
            WispClient client = new WispClient(cluster.controllerApi("controller0"), cluster.auth());
            assertEquals(200, client.put(NS + "/actions/never-starts", "{\"exec\":{\"kind\":\"blackbox\","
                    + "\"image\":\"" + image + "\"}}").status());
            HttpClient http = HttpClient.newHttpClient();
            MemberInfo inv = cluster.liveInvokers().get(0);
            String invoker = inv.id();
            long retriesBefore = retries(http, inv);
            ActivationMessage m = message(cluster, http, "never-starts", false);
            ActivationId id = m.activationId();
            try (KafkaSender sender = new KafkaSender(cluster.kafka().bootstrap(), "joined-retry-it",
                    Duration.ofSeconds(30))) {
                // back to back: the invoker reads both in one poll, the second while the first runs
                sender.send(Topics.invoker(invoker), id.value(), Json.encode(m)).toCompletionStage()
                        .toCompletableFuture().get();
                sender.send(Topics.invoker(invoker), id.value(), Json.encode(m)).toCompletionStage()
                        .toCompletableFuture().get();
            }
            JsonNode record = new RecordCheck(cluster.storeUrl()).awaitRecords(List.of(id.value()),
                    Duration.ofSeconds(90)).get(id.value());
            assertEquals(3, record.path("response").path("statusCode").asInt(), "a system error: " + record);
            // a second chain of attempts would have ended by now too: its attempts ran beside the first's
            await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> deadLetters(client, id.value()), n -> n == 1);
            assertEquals(2, retries(http, inv) - retriesBefore, "one chain of attempts: the first and two retries");
        } finally {
            new ProcessBuilder("docker", "rmi", "-f", image).start().waitFor();
        }
    }

    /**
     * A non-blocking activation of the guest's action {@code name} at its stored revision, as controller0 publishes
     * one, under a new id.
     */
    private static ActivationMessage message(WispCluster cluster, HttpClient http, String name,
                                             boolean checkRecordFirst) throws Exception {
        JsonNode doc = Json.mapper().readTree(http.send(HttpRequest.newBuilder(
                URI.create(cluster.storeUrl() + "/wisp_whisks/" + URLEncoder.encode("guest/" + name,
                        StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString()).body());
        return new ActivationMessage(TransactionId.generate(), ActivationId.generate(), EntityPath.of("guest", name),
                doc.path("_rev").asText(), "0.0.1", new Identity("guest", "guest", cluster.auth().split(":")[0]),
                false, "controller0", Json.object(), System.currentTimeMillis(), null, 0, null, checkRecordFirst);
    }

    /** The invoker's count of activations it retried after a system error, from its admin {@code /metrics}. */
    private static long retries(HttpClient http, MemberInfo invoker) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + invoker.port()
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith("wisp_invoker_retries_total "))
                .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(' ') + 1).trim())).findFirst()
                .orElseThrow(() -> new AssertionError("no retries counter in " + metrics));
    }

    /** How many dead letters the namespace lists for one activation. */
    private static long deadLetters(WispClient client, String id) {
        JsonNode letters = client.get(NS + "/deadletters?limit=200").json();
        long n = 0;
        for (JsonNode l : letters) {
            n += l.path("activationId").asText().equals(id) ? 1 : 0;
        }
        return n;
    }

    @Test
    @Order(3)
    void everySequenceEndsWithOneRecordWhenItsControllerDies(WispCluster cluster) throws Exception {
        WispClient first = new WispClient(cluster.controllerApi("controller0"), cluster.auth());
        WispClient second = new WispClient(cluster.controllerApi("controller1"), cluster.auth());
        assertEquals(200, first.put(NS + "/actions/slow-inc", "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":"
                + "\"function main(p) { return new Promise(r => setTimeout(() => r({ n: p.n + 1 }), 2000)); }\"},"
                + "\"limits\":{\"memory\":128,\"timeout\":30000}}").status());
        assertEquals(200, first.put(NS + "/actions/slow-three", "{\"exec\":{\"kind\":\"sequence\",\"components\":"
                + "[\"/_/slow-inc\",\"/_/slow-inc\",\"/_/slow-inc\"]}}").status());

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < SEQUENCES; i++) {
            WispClient.Response r = (i % 2 == 0 ? first : second).post(NS + "/actions/slow-three",
                    "{\"n\":" + (i * 10) + "}");
            assertEquals(202, r.status(), r.toString());
            ids.add(r.json().path("activationId").asText());
        }
        List<String> firstComponents = ids.stream()
                .map(id -> SequenceActivationIds.of(ActivationId.of(id), 0).value()).toList();
        RecordCheck records = new RecordCheck(cluster.storeUrl());
        await().alias("some first components ended").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> records.records(firstComponents).size() >= 3);

        Map<String, Integer> owned = new HashMap<>();
        for (String c : List.of("controller0", "controller1")) {
            String log = Files.readString(cluster.dir().resolve(c + ".log"));
            owned.put(c, (int) ids.stream().filter(log::contains).count());
        }
        String victim = owned.get("controller0") >= owned.get("controller1") ? "controller0" : "controller1";
        assertTrue(owned.get(victim) > 0, "the killed controller runs some sequences: " + owned);
        long killedAt = System.currentTimeMillis();
        cluster.kill9Controller(victim);

        await().alias("every sequence has its record").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500)).until(() -> records.records(ids).size() == SEQUENCES);
        long tookMs = System.currentTimeMillis() - killedAt;

        Map<String, JsonNode> found = records.records(ids);
        List<String> allComponents = new ArrayList<>();
        Map<String, String> sequenceOf = new HashMap<>();
        for (int i = 0; i < SEQUENCES; i++) {
            String id = ids.get(i);
            JsonNode record = found.get(id);
            assertEquals(id, record.path("activationId").asText());
            assertEquals("slow-three", record.path("name").asText());
            assertTrue(record.path("response").path("success").asBoolean(), record.toString());
            assertEquals(i * 10 + 3, record.path("response").path("result").path("n").asInt(), record.toString());
            ActivationId seq = ActivationId.of(id);
            List<String> components = IntStream.range(0, 3)
                    .mapToObj(k -> SequenceActivationIds.of(seq, k).value()).toList();
            List<String> logged = new ArrayList<>();
            record.path("logs").forEach(l -> logged.add(l.asText()));
            assertEquals(components, logged, record.toString());
            allComponents.addAll(components);
            components.forEach(c -> sequenceOf.put(c, id));
        }
        Map<String, JsonNode> componentRecords = records.records(allComponents);
        assertEquals(allComponents.size(), componentRecords.size());
        componentRecords.forEach((c, r) -> assertEquals(sequenceOf.get(c), r.path("cause").asText(), r.toString()));
        Map<String, Integer> runs = new HashMap<>();
        cluster.journal().stream().filter(allComponents::contains).forEach(id -> runs.merge(id, 1, Integer::sum));
        int reRuns = runs.values().stream().mapToInt(n -> n - 1).sum();
        System.out.printf("%n== sequence failover: %d sequences, %s ran on each controller, %s killed; all records"
                + " %d ms after the kill; %d component re-runs ==%n", SEQUENCES, owned, victim, tookMs, reRuns);
        // the next controller publishes the component in flight again; the invoker running it makes the second
        // delivery wait for the first run's record instead of running it beside it
        assertEquals(0, reRuns, "components run more than once: " + runs);
    }
}
