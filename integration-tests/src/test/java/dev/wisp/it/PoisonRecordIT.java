package dev.wisp.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A record the store refuses for good (here: 9 MB of logs, over the 8 MB largest document that standalone's
 * store shares with CouchDB 3) does not stall its invoker's partition: it is stored trimmed, the caller gets the
 * action's result, and the invoker's consumer group commits everything after it.
 */
class PoisonRecordIT {

    @Test
    void aRecordTheStoreRefusesIsStoredTrimmedAndCommitsGoOn() throws Exception {
        WispClient wisp = WispFixture.client();
        assertEquals(200, wisp.put("/api/v1/namespaces/_/actions/poison-logs?overwrite=true",
                WispClient.nodeAction("function main() { const line = 'x'.repeat(1000);"
                        + " for (let i = 0; i < 9000; i++) console.log(line); return {ok: true}; }")).status());
        WispClient.Response r = wisp.post("/api/v1/namespaces/_/actions/poison-logs?blocking=true", "{}");
        assertEquals(200, r.status(), r.toString().substring(0, Math.min(500, r.toString().length())));
        String id = r.json().path("activationId").asText();
        assertTrue(r.json().path("response").path("result").path("ok").asBoolean(), r.toString());

        JsonNode stored = wisp.get("/api/v1/namespaces/_/activations/" + id).json();
        assertEquals(1, stored.path("logs").size(), "the logs should have been replaced by one line");
        assertTrue(stored.path("logs").path(0).asText().startsWith("[wisp] The store refused this activation's record"
                + " (413:Payload Too Large); its 9000 log lines"), stored.path("logs").toString());
        assertTrue(StreamSupport.stream(stored.path("annotations").spliterator(), false)
                .anyMatch(a -> a.path("key").asText().equals("recordTrimmed")), stored.path("annotations").toString());

        // the partition moves on: later activations are recorded and every offset gets committed
        List<String> later = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            WispClient.Response ok = wisp.post("/api/v1/namespaces/_/actions/poison-logs-after", "{}");
            if (ok.status() == 404) {
                assertEquals(200, wisp.put("/api/v1/namespaces/_/actions/poison-logs-after?overwrite=true",
                        WispClient.nodeAction("function main() { return {after: true}; }")).status());
                ok = wisp.post("/api/v1/namespaces/_/actions/poison-logs-after", "{}");
            }
            assertEquals(202, ok.status(), ok.toString());
            later.add(ok.json().path("activationId").asText());
        }
        await().atMost(Duration.ofSeconds(60)).until(() ->
                later.stream().allMatch(a -> wisp.get("/api/v1/namespaces/_/activations/" + a).status() == 200));
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                WispFixture.get().settings().string("kafka.bootstrap", null));
        try (Admin admin = Admin.create(p)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> lag(admin, "invoker-0", "wisp.invoker0") == 0);
        }
    }

    /** Records of the topic not yet committed by the group. */
    private static long lag(Admin admin, String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        for (int i = 0; i < partitions; i++) {
            latest.put(new TopicPartition(topic, i), OffsetSpec.latest());
        }
        long lag = 0;
        for (var e : admin.listOffsets(latest).all().get().entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            lag += e.getValue().offset() - (c == null ? 0 : c.offset());
        }
        return lag;
    }
}
