package dev.wisp.common.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.codec.Json;
import dev.wisp.common.message.ActivationId;
import dev.wisp.common.message.CompletionMessage;
import dev.wisp.common.message.Completions;
import dev.wisp.common.message.TransactionId;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchingSenderTest {
    /** Records as a broker would take them: each send stays open until the test answers it. */
    private static final class FakePublisher implements BatchingSender.Publisher {
        record Sent(String topic, String key, byte[] value, Promise<Void> outcome) {
        }

        final List<Sent> sent = new ArrayList<>();

        @Override
        public Future<Void> send(String topic, String key, byte[] value) {
            Promise<Void> p = Promise.promise();
            sent.add(new Sent(topic, key, value, p));
            return p.future();
        }
    }

    private static CompletionMessage completion() {
        return new CompletionMessage(TransactionId.generate(), ActivationId.generate(), "invoker0", false, null);
    }

    @Test
    void aLoneCompletionLeavesAtOnceAndThoseArrivingMeanwhileLeaveTogether() {
        FakePublisher kafka = new FakePublisher();
        List<Integer> carried = new ArrayList<>();
        BatchingSender sender = new BatchingSender(kafka, 1 << 20, carried::add);
        List<CompletionMessage> sentOnes = new ArrayList<>();
        List<Future<Void>> outcomes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            CompletionMessage c = completion();
            sentOnes.add(c);
            outcomes.add(sender.send("wisp.completions0", c.activationId().value(), Json.encode(c)));
        }
        assertEquals(1, kafka.sent.size(), "the first left at once, alone; the rest wait for it");
        assertEquals(List.of(sentOnes.getFirst()), Completions.decode(kafka.sent.getFirst().value()));
        assertFalse(outcomes.get(1).isComplete());

        kafka.sent.getFirst().outcome().complete();
        assertTrue(outcomes.getFirst().succeeded());
        assertEquals(2, kafka.sent.size(), "the three that waited left as one record");
        FakePublisher.Sent batch = kafka.sent.get(1);
        assertEquals(sentOnes.subList(1, 4), Completions.decode(batch.value()));
        assertEquals(sentOnes.get(1).activationId().value(), batch.key());
        assertTrue(new String(batch.value(), StandardCharsets.UTF_8).startsWith("[{"));
        assertFalse(outcomes.get(3).isComplete(), "a message is sent when Kafka confirmed its record");

        kafka.sent.get(1).outcome().fail("broker away");
        assertTrue(outcomes.get(1).failed() && outcomes.get(2).failed() && outcomes.get(3).failed(),
                "each message of a refused record learns it");
        assertEquals(List.of(1), carried, "the metrics count the records Kafka confirmed, with what each carried");

        // quiet again: the next leaves at once
        sender.send("wisp.completions0", "k", Json.encode(completion()));
        assertEquals(3, kafka.sent.size());
    }

    @Test
    void topicsAreBatchedApartAndABatchStaysUnderItsSize() {
        FakePublisher kafka = new FakePublisher();
        byte[] one = Json.encode(completion());
        BatchingSender sender = new BatchingSender(kafka, 2 * one.length + 3, n -> { });
        sender.send("a", "k", one);
        sender.send("b", "k", one);
        assertEquals(2, kafka.sent.size(), "another topic's send does not wait for the first topic's");
        for (int i = 0; i < 5; i++) {
            sender.send("a", "k", Json.encode(completion()));
        }
        kafka.sent.getFirst().outcome().complete();
        // five waiting, two fit in a record: three records, of 2, 2 and 1
        List<Integer> sizes = kafka.sent.subList(2, kafka.sent.size()).stream()
                .map(s -> Completions.decode(s.value()).size()).toList();
        assertEquals(List.of(2, 2, 1), sizes);
        assertTrue(kafka.sent.stream().allMatch(s -> s.value().length <= 2 * one.length + 3));
    }

    @Test
    void aRecordOfOneCompletionReadsAsBefore() {
        CompletionMessage c = completion();
        assertEquals(List.of(c), Completions.decode(Json.encode(c)));
        assertEquals(List.of(c), Completions.decode(("  \n" + Json.encodeToString(c)).getBytes(StandardCharsets.UTF_8)));
    }
}
