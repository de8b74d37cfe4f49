package dev.wisp.common.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The durable feed's contract over Kafka's own mock consumer: what is committed, when it pauses, retries. */
class FeedTest {
    private static final String TOPIC = "work";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    private Vertx vertx;
    private MockConsumer<String, byte[]> consumer;
    private Feed<String> feed;
    /** The handler's outcomes, by offset: the test completes them. */
    private final Map<Long, Promise<Void>> running = new ConcurrentHashMap<>();
    private final List<Feed.Delivery<String>> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        consumer = new MockConsumer<>("earliest");
    }

    @AfterEach
    void tearDown() {
        if (feed != null) {
            feed.close();
        }
        vertx.close();
    }

    private static final Feed.Decoder<String> TEXT = (key, value) -> {
        String s = new String(value, StandardCharsets.UTF_8);
        if (s.startsWith("garbage")) {
            throw new IllegalArgumentException("not a message");
        }
        return s;
    };

    private Feed.Builder<String> builder() {
        return Feed.builder("unused:1", "group", TOPIC, TEXT).consumer(consumer);
    }

    /** A handler whose outcome the test decides. */
    private Future<?> held(Feed.Delivery<String> d) {
        seen.add(d);
        Promise<Void> p = Promise.promise();
        running.put(d.offset(), p);
        return p.future();
    }

    /** Makes the consumer one whose commits are kept in the returned map (a closed MockConsumer tells none). */
    private Map<TopicPartition, Long> trackCommits() {
        Map<TopicPartition, Long> commits = new ConcurrentHashMap<>();
        consumer = new MockConsumer<>("earliest") {
            @Override
            public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
                offsets.forEach((tp, o) -> commits.merge(tp, o.offset(), Math::max));
                super.commitSync(offsets, timeout);
            }
        };
        return commits;
    }

    private void startWith(String... values) {
        consumer.updateBeginningOffsets(Map.of(TP, 0L));
        consumer.updateEndOffsets(Map.of(TP, 0L));
        feed.start();
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(TP));
            for (int i = 0; i < values.length; i++) {
                consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, i, "k", values[i].getBytes(StandardCharsets.UTF_8)));
            }
        });
    }

    private void finish(long offset) {
        vertx.runOnContext(v -> running.get(offset).complete());
    }

    private long committed() {
        OffsetAndMetadata o = consumer.committed(Set.of(TP)).get(TP);
        return o == null ? 0 : o.offset();
    }

    @Test
    void commitsOnlyAContiguousPrefixOfFinishedRecords() {
        feed = builder().durable(vertx.getOrCreateContext(), this::held);
        startWith("a", "b", "c");
        await().until(() -> running.size() == 3);
        finish(2);
        finish(0);
        await().until(() -> committed() == 1);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> committed() == 1);
        finish(1);
        await().until(() -> committed() == 3);
    }

    @Test
    void pausesWithMaxInFlightUnfinishedAndResumesWhenOneEnds() {
        feed = builder().maxInFlight(2).durable(vertx.getOrCreateContext(), this::held);
        startWith("a", "b");
        await().until(() -> running.size() == 2);
        await().until(() -> consumer.paused().contains(TP));
        // what one poll already fetched is handed over; a paused feed fetches nothing more
        consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 2, "k",
                "c".getBytes(StandardCharsets.UTF_8))));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> running.size() == 2);
        finish(0);
        await().until(() -> running.size() == 3);
        assertEquals(List.of("a", "b", "c"), seen.stream().map(Feed.Delivery::message).toList());
    }

    @Test
    void aFailedHandlerIsCalledAgainAsAPossibleRepeatUntilItSucceeds() {
        feed = builder().retryAfter(Duration.ofMillis(20)).durable(vertx.getOrCreateContext(), d -> {
            seen.add(d);
            return seen.size() < 3 ? Future.failedFuture("the store is away") : Future.succeededFuture();
        });
        startWith("a");
        await().until(() -> committed() == 1);
        assertEquals(3, seen.size());
        assertFalse(seen.get(0).maybeRedelivered(), "new to everyone the first time");
        assertTrue(seen.get(1).maybeRedelivered() && seen.get(2).maybeRedelivered());
    }

    @Test
    void withoutARetryAFailedRecordStaysUncommittedAndTheFeedGoesOn() {
        feed = builder().durable(vertx.getOrCreateContext(), d -> {
            seen.add(d);
            return d.offset() == 0 ? Future.failedFuture("refused") : Future.succeededFuture();
        });
        startWith("a", "b");
        await().until(() -> seen.size() == 2);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> committed() == 0);
    }

    @Test
    void anUnreadableRecordIsSkippedAndNeverStallsThePartition() {
        feed = builder().durable(vertx.getOrCreateContext(), d -> {
            seen.add(d);
            return Future.succeededFuture();
        });
        startWith("a", "garbage", "c");
        await().until(() -> committed() == 3);
        assertEquals(List.of("a", "c"), seen.stream().map(Feed.Delivery::message).toList());
    }

    @Test
    void aBestEffortFeedHandsDecodedRecordsOverOnThePollThread() {
        List<String> got = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        feed = builder().bestEffort(m -> {
            got.add(m);
            threads.add(Thread.currentThread().getName());
        });
        startWith("a", "garbage", "b");
        await().until(() -> got.size() == 2);
        assertEquals(List.of("a", "b"), got);
        assertTrue(threads.stream().allMatch(t -> t.startsWith("kafka-loop-")), threads.toString());
    }

    @Test
    void aBatchFeedGetsEachPollsDecodedRecordsAsOneListInOrder() {
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        feed = builder().bestEffortBatches(batches::add);
        startWith("a", "garbage", "b", "c");
        await().until(() -> batches.stream().mapToInt(List::size).sum() == 3);
        assertEquals(List.of(List.of("a", "b", "c")), batches);
    }

    @Test
    void startsOnceAndClosesOnceEvenBeforeItStarted() {
        feed = builder().durable(vertx.getOrCreateContext(), this::held);
        feed.close();
        feed.close();
        assertTrue(consumer.closed(), "a feed closed before it started still closes its consumer");
        IllegalStateException e = assertThrows(IllegalStateException.class, feed::start);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());

        Feed<String> twice = builder().consumer(new MockConsumer<>("earliest"))
                .durable(vertx.getOrCreateContext(), this::held);
        twice.start();
        try {
            assertThrows(IllegalStateException.class, twice::start);
        } finally {
            twice.close();
        }
    }

    @Test
    void aRecordDeliveredAgainWhileItRunsHereIsNotHandedOverTwice() {
        feed = builder().durable(vertx.getOrCreateContext(), this::held);
        startWith("a", "b");
        await().until(() -> running.size() == 2);
        // the group gives the partition back and the poll returns to the last commit (nothing committed yet)
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(TP));
            consumer.seek(TP, 0);
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 0, "k", "a".getBytes(StandardCharsets.UTF_8)));
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 1, "k", "b".getBytes(StandardCharsets.UTF_8)));
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 2, "k", "c".getBytes(StandardCharsets.UTF_8)));
        });
        await().until(() -> running.size() == 3);
        assertEquals(List.of("a", "b", "c"), seen.stream().map(Feed.Delivery::message).toList(),
                "a and b run once each");
        finish(0);
        finish(1);
        finish(2);
        await().until(() -> committed() == 3);
    }

    @Test
    void aRecordLeftForRedeliveryRunsAgainWhenDeliveredAgain() {
        feed = builder().durable(vertx.getOrCreateContext(), d -> {
            seen.add(d);
            return seen.size() == 1 ? Future.failedFuture("refused") : Future.succeededFuture();
        });
        startWith("a");
        await().until(() -> seen.size() == 1);
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(TP));
            consumer.seek(TP, 0);
            consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 0, "k", "a".getBytes(StandardCharsets.UTF_8)));
        });
        await().until(() -> committed() == 1);
        assertEquals(2, seen.size(), "refused once, then run again and finished");
    }

    @Test
    void handedOnWhenDoneTheRunningRecordsFinishHereAndTheRestIsLeftForTheNextOwner() throws Exception {
        Map<TopicPartition, Long> commits = trackCommits();
        feed = builder().durable(vertx.getOrCreateContext(), this::held);
        startWith("a", "b");
        await().until(() -> running.size() == 2);
        Thread handingOn = new Thread(() -> feed.closeWhenDone(Duration.ofSeconds(30)));
        handingOn.start();
        await().until(() -> consumer.paused().contains(TP));
        // fetched while the hand-over waits: not started here
        consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 2, "k",
                "c".getBytes(StandardCharsets.UTF_8))));
        finish(0);
        assertTrue(handingOn.isAlive(), "b still runs here");
        finish(1);
        handingOn.join(10_000);
        assertFalse(handingOn.isAlive());
        assertTrue(consumer.closed());
        assertEquals(2L, commits.get(TP), "a and b committed: the next owner starts at c");
        assertEquals(List.of("a", "b"), seen.stream().map(Feed.Delivery::message).toList());
    }

    @Test
    void aRecordStillRunningWhenTheHandOverWaitedLongEnoughIsLeftUncommitted() throws Exception {
        feed = builder().durable(vertx.getOrCreateContext(), this::held);
        startWith("a", "b");
        await().until(() -> running.size() == 2);
        finish(0);
        await().until(() -> committed() == 1);
        long asked = System.nanoTime();
        feed.closeWhenDone(Duration.ofMillis(300));
        assertTrue(System.nanoTime() - asked >= 300_000_000L, "waited for b as long as allowed");
        assertTrue(consumer.closed());
    }

    @Test
    void aRecordThatFailsWhileTheFeedHandsOnIsNotTriedAgainHereAndIsLeftUncommitted() throws Exception {
        Map<TopicPartition, Long> commits = trackCommits();
        feed = builder().retryAfter(Duration.ofMillis(20)).durable(vertx.getOrCreateContext(), this::held);
        startWith("a");
        await().until(() -> running.size() == 1);
        Thread handingOn = new Thread(() -> feed.closeWhenDone(Duration.ofSeconds(30)));
        handingOn.start();
        await().until(() -> consumer.paused().contains(TP));
        vertx.runOnContext(v -> running.get(0L).fail("the invoker is stopping"));
        handingOn.join(10_000);
        assertFalse(handingOn.isAlive(), "the hand-over did not wait for a retry");
        assertEquals(1, seen.size(), "not run again by a feed that is handing on");
        assertTrue(consumer.closed());
        assertEquals(null, commits.get(TP), "left for the next owner");
    }

    @Test
    void aFailedRecordWhosePartitionWentToAnotherMemberIsNotTriedAgainHere() {
        feed = builder().retryAfter(Duration.ofMillis(20)).durable(vertx.getOrCreateContext(), this::held);
        startWith("a");
        await().until(() -> running.size() == 1);
        // the group gives the partition to another member, which runs "a" from the last commit
        consumer.schedulePollTask(() -> consumer.rebalance(List.of()));
        await().until(() -> consumer.assignment().isEmpty());
        vertx.runOnContext(v -> running.get(0L).fail("the store is away"));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> seen.size() == 1);
        assertEquals(0, committed(), "left for the partition's new owner");
    }

    @Test
    void aRecordThatKeepsFailingWaitsLongerEachTime() {
        List<Long> at = new CopyOnWriteArrayList<>();
        feed = builder().retryAfter(Duration.ofMillis(40)).durable(vertx.getOrCreateContext(), d -> {
            at.add(System.nanoTime());
            return at.size() < 4 ? Future.failedFuture("the store is away") : Future.succeededFuture();
        });
        startWith("a");
        await().until(() -> committed() == 1);
        // 40, 80, 160 ms apart at least
        for (int i = 1; i < 4; i++) {
            long gap = (at.get(i) - at.get(i - 1)) / 1_000_000;
            assertTrue(gap >= 40L << (i - 1), "pause " + i + " was " + gap + " ms");
        }
    }

    @Test
    void aBrokerTooSlowToTellTheEndOffsetsOnAssignmentStopsNothingAndEveryRecordMayBeARepeat() {
        consumer = new MockConsumer<>("earliest") {
            @Override
            public synchronized Map<TopicPartition, Long> endOffsets(java.util.Collection<TopicPartition> partitions) {
                throw new org.apache.kafka.common.errors.TimeoutException("timed out waiting for the end offsets");
            }
        };
        feed = builder().durable(vertx.getOrCreateContext(), d -> {
            seen.add(d);
            return Future.succeededFuture();
        });
        startWith("a", "b");
        await().until(() -> seen.size() == 2);
        assertTrue(seen.get(0).maybeRedelivered() && seen.get(1).maybeRedelivered());
    }
}
