package dev.wisp.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Identity;
import dev.wisp.common.kafka.TopicAdmin;
import dev.wisp.common.message.ActivationId;
import dev.wisp.common.message.ActivationMessage;
import dev.wisp.common.message.TransactionId;
import dev.wisp.common.zookeeper.Zk;
import dev.wisp.common.zookeeper.ZkPaths;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.StreamSupport;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;

/**
 * Never silence, whoever dies: a controller that accepted activations and died took its reaper's list with it;
 * a live controller adopts its incarnation, finds what it accepted in the invoker topics, and reaps what has no
 * final record. The dead controller here is played by the test: an incarnation in ZooKeeper with its
 * {@code alive} node on the test's own session, activations on an invoker topic no invoker reads (as if their
 * invoker had vanished), and then the session closed, as a crash would close it.
 */
class ReaperAdoptionIT {

    @Test
    void aDeadControllersActivationsWithoutRecordsAreReapedByAnother() throws Exception {
        WispClient client = WispFixture.client();
        String kafka = WispFixture.get().settings().string("kafka.bootstrap", null);
        String zkConnect = WispFixture.get().settings().string("zookeeper.connect", null);
        String ghost = "ghost" + System.nanoTime();
        String topic = "wisp.invoker97";
        try (TopicAdmin admin = new TopicAdmin(kafka, 1)) {
            admin.ensure(topic, 1);
        }
        // an activation that already has its record: adoption must leave it as it is
        WispClient.Response done = client.put("/api/v1/namespaces/_/actions/adopt-me?overwrite=true",
                WispClient.nodeAction("function main() { return {ran: true}; }"));
        assertEquals(200, done.status(), done.toString());
        WispClient.Response ran = client.post("/api/v1/namespaces/_/actions/adopt-me?blocking=true", "{}");
        assertEquals(200, ran.status(), ran.toString());
        String recordedId = ran.json().path("activationId").asText();

        CuratorFramework dead = Zk.connect(zkConnect, Duration.ofSeconds(30));
        String incarnation = ZkPaths.CONTROLLER_INCARNATIONS + "/" + ghost + "." + System.currentTimeMillis();
        dead.create().creatingParentsIfNeeded().forPath(incarnation,
                Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8));
        dead.create().withMode(CreateMode.EPHEMERAL).forPath(incarnation + "/alive");

        // accepted 21 minutes ago: past the longest timeout (5 min) plus the reaper's grace (15 min)
        long arrived = System.currentTimeMillis() - Duration.ofMinutes(21).toMillis();
        Identity guest = new Identity("guest", "guest", client.auth().split(":")[0]);
        List<String> orphans = new ArrayList<>();
        List<String> othersOwn = new ArrayList<>();
        String takenOver;
        // published then too: an adopter counts a deadline from the record's time (a retry that took over an old
        // idempotency key is published long after it arrived)
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < 23; i++) {
                boolean mine = i < 20;
                String id = i == 22 ? recordedId : ActivationId.generate().value();
                ActivationMessage m = new ActivationMessage(TransactionId.generate(), new ActivationId(id),
                        EntityPath.of("guest", "adopt-me"), "1-x", "0.0.1", guest, false,
                        mine || i == 22 ? ghost : "controller0", Json.object(), arrived, null, 0);
                producer.send(new ProducerRecord<>(topic, null, arrived, id, Json.encode(m))).get();
                if (mine) {
                    orphans.add(id);
                } else if (i != 22) {
                    othersOwn.add(id);
                }
            }
            // arrived as long ago but published a minute short of its deadline, as a retry that took over an old
            // idempotency key: the adopter reaps it a minute later, not at once
            takenOver = ActivationId.generate().value();
            ActivationMessage m = new ActivationMessage(TransactionId.generate(), new ActivationId(takenOver),
                    EntityPath.of("guest", "adopt-me"), "1-x", "0.0.1", guest, false, ghost, Json.object(), arrived,
                    null, 0);
            long published = System.currentTimeMillis() - Duration.ofMinutes(19).toMillis();
            producer.send(new ProducerRecord<>(topic, null, published, takenOver, Json.encode(m))).get();
        }
        dead.close(); // the ghost controller dies: its alive node goes with its session

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                orphans.stream().allMatch(id -> client.get("/api/v1/namespaces/_/activations/" + id).status() == 200));
        for (String id : orphans) {
            JsonNode record = client.get("/api/v1/namespaces/_/activations/" + id).json();
            assertEquals("whisk internal error", record.path("response").path("status").asText(), record.toString());
            assertTrue(StreamSupport.stream(record.path("annotations").spliterator(), false)
                    .anyMatch(a -> a.path("key").asText().equals("reaped")), record.toString());
        }
        JsonNode kept = client.get("/api/v1/namespaces/_/activations/" + recordedId).json();
        assertTrue(kept.path("response").path("result").path("ran").asBoolean(), "adoption overwrote " + kept);
        for (String id : othersOwn) {
            assertEquals(404, client.get("/api/v1/namespaces/_/activations/" + id).status(),
                    "a live controller's activation was adopted");
        }
        assertEquals(404, client.get("/api/v1/namespaces/_/activations/" + takenOver).status(),
                "reaped counting from its arrival, not from its publish");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
                client.get("/api/v1/namespaces/_/activations/" + takenOver).status() == 200);
        // once every adopted activation is past its deadline, the incarnation is forgotten
        try (CuratorFramework zk = Zk.connect(zkConnect, Duration.ofSeconds(30))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> zk.checkExists().forPath(incarnation) == null);
        }
    }
}
