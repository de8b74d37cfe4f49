package dev.wisp.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka poll loop on its own thread, the engine of a {@link Feed}. Each poll's records go to the handler on that
 * thread as one list, in order, which it must hand off quickly (e.g. with one {@code runOnContext} for them all).
 * Offsets are committed only when the owner says so through {@link #commit}, which any thread may call;
 * {@link #pause()} and {@link #resume()} likewise.
 * The consumer itself is made and touched only by the loop thread, as Kafka requires. It is started once and
 * closed once: closed before it started, it never makes its consumer (and closes one it was given).
 */
final class ConsumerLoop implements AutoCloseable {
    private enum State { NEW, RUNNING, CLOSED }

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);

    /** Makes the consumer, on the loop thread: a KafkaConsumer resolves its bootstrap servers as it is made. */
    private final Supplier<org.apache.kafka.clients.consumer.Consumer<String, byte[]>> factory;
    /** Set by the loop thread once made; only that thread touches it. */
    private org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;
    private final String topic;
    private final Consumer<List<ConsumerRecord<String, byte[]>>> handler;
    private final Map<TopicPartition, Long> pendingCommits = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> frontier = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private State state = State.NEW;
    /** A poll returns as soon as records arrive; between records the loop turns this often for commits and pauses. */
    private static final long POLL_MILLIS = 100;
    /**
     * While paused a poll returns nothing, so it would sleep out its whole timeout after a resume was asked for:
     * a feed at its in-flight limit resumes many times a second, and each lost ~100 ms of fetching.
     */
    private static final long PAUSED_POLL_MILLIS = 2;
    /**
     * Finished offsets are committed at most this often (and always when the partition is revoked or the loop
     * closes): one commit is a write to the broker's offsets log, and committing after every poll under load
     * cost the broker about as much as the records themselves. A record finished but not yet committed when its
     * consumer dies is delivered again, which every durable handler already expects.
     */
    static final long COMMIT_EVERY_MILLIS = 100;
    private long lastCommit = System.nanoTime() - COMMIT_EVERY_MILLIS * 1_000_000L;
    private volatile boolean pauseWanted;
    private volatile boolean caughtUp;
    /** When a poll last found nothing left to read (nanoTime), 0 for never. */
    private volatile long caughtUpAt;
    private volatile boolean assigned;
    /** The partitions the group gave this consumer, as its rebalance listener last heard. */
    private final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();

    /**
     * @param autoCommit true for consumers that may lose records harmlessly (completion topics); false for
     *                   work that must survive a crash, which commits through {@link #commit}
     */
    ConsumerLoop(String bootstrapServers, String groupId, String topic, boolean autoCommit,
                 Consumer<List<ConsumerRecord<String, byte[]>>> handler) {
        this(() -> new KafkaConsumer<>(properties(bootstrapServers, groupId, autoCommit), new StringDeserializer(),
                new ByteArrayDeserializer()), topic, handler);
    }

    /** Over a consumer made elsewhere (a test's {@code MockConsumer}). */
    ConsumerLoop(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer, String topic,
                 Consumer<List<ConsumerRecord<String, byte[]>>> handler) {
        this(() -> consumer, topic, handler);
        this.consumer = Objects.requireNonNull(consumer, "consumer");
    }

    /**
     * @param factory makes the consumer on the loop thread, so that whoever starts a feed (an event loop adopting
     *                a topic) never waits for its construction, which looks up the bootstrap servers' addresses
     */
    private ConsumerLoop(Supplier<org.apache.kafka.clients.consumer.Consumer<String, byte[]>> factory, String topic,
                         Consumer<List<ConsumerRecord<String, byte[]>>> handler) {
        this.factory = factory;
        this.topic = Objects.requireNonNull(topic, "topic");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.thread = new Thread(this::run, "kafka-loop-" + topic);
        this.thread.setDaemon(true);
    }

    private static Properties properties(String bootstrapServers, String groupId, boolean autoCommit) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, autoCommit);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A fetch waits at the broker for the first byte (up to 500 ms) and returns the moment a record lands, so
        // a long wait costs no latency; a short one only turns every idle consumer into ~200 fetches a second.
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, KafkaSender.MAX_RECORD_BYTES);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, KafkaSender.MAX_RECORD_BYTES * 2);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
        // a fetch or commit to a broker that died must not wait the default 30 s before moving on
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 10_000);
        return p;
    }

    /** Starts the loop thread, which makes the consumer and subscribes; returns at once. */
    public synchronized void start() {
        if (state != State.NEW) {
            throw new IllegalStateException("the feed of " + topic + " was " + (state == State.RUNNING
                    ? "already started" : "closed"));
        }
        state = State.RUNNING;
        thread.start();
    }

    /**
     * Makes the consumer and subscribes it, on the loop thread. A consumer that cannot be made (no bootstrap
     * server's name resolves yet) is tried again every second while the loop runs.
     *
     * @return whether there is a consumer (false: the loop was closed first)
     */
    private boolean subscribe() {
        for (int tries = 0; consumer == null && running; tries++) {
            try {
                consumer = factory.get();
            } catch (KafkaException e) {
                if (tries % 30 == 0) {
                    LOG.error("{}: no consumer yet, trying every second: {}", topic, e.toString());
                }
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        if (consumer == null) {
            return false;
        }
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                flushCommitsSync();
                partitions.forEach(frontier::remove);
                owned.removeAll(partitions);
            }

            // a callback that throws ends the poll loop (poll() rethrows it): a broker slow to answer here is
            // logged instead
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                owned.addAll(partitions);
                try {
                    consumer.endOffsets(partitions).forEach(frontier::put);
                } catch (WakeupException e) {
                    throw e; // closing
                } catch (KafkaException e) {
                    // with no frontier every record of these partitions counts as possibly delivered before
                    LOG.warn("{}: the end offsets of the assigned partitions are unknown: {}", topic, e.toString());
                }
            }
        });
        return true;
    }

    /**
     * Whether this consumer holds {@code partition} now: false once the group took it away (another member may be
     * running its unfinished records), until it is given back.
     */
    public boolean owns(TopicPartition partition) {
        return owned.contains(partition);
    }

    /**
     * Whether a record was already in its partition when this consumer was assigned it, so a predecessor may have
     * processed it before dying without committing. Records appended later are new to everyone.
     */
    public boolean maybeRedelivered(ConsumerRecord<?, ?> record) {
        Long end = frontier.get(new TopicPartition(record.topic(), record.partition()));
        return end == null || record.offset() < end;
    }

    /** Whether the last poll found nothing left to read in any assigned partition. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /**
     * Whether a poll within {@code window} found nothing left to read. Unlike {@link #caughtUp()}, one record
     * arriving (a health ping) does not hide that the loop keeps up.
     */
    public boolean caughtUpWithin(Duration window) {
        long at = caughtUpAt;
        return at != 0 && System.nanoTime() - at <= window.toNanos();
    }

    /** Whether the group gave this consumer any partition at its last poll. */
    public boolean assigned() {
        return assigned;
    }

    /** Stops fetching new records; records already handed over are unaffected. */
    public void pause() {
        pauseWanted = true;
    }

    public void resume() {
        pauseWanted = false;
    }

    /** Commits, at the loop's next turn, that everything before {@code nextOffset} is done. */
    public void commit(TopicPartition partition, long nextOffset) {
        pendingCommits.merge(partition, nextOffset, Math::max);
    }

    private void run() {
        if (!subscribe()) {
            return;
        }
        boolean paused = false;
        try {
            while (running) {
                if (pauseWanted != paused) {
                    paused = pauseWanted;
                    if (paused) {
                        consumer.pause(consumer.assignment());
                    } else {
                        consumer.resume(consumer.paused());
                    }
                } else if (paused) {
                    consumer.pause(consumer.assignment()); // newly assigned partitions start paused too
                }
                flushCommits();
                var records = consumer.poll(Duration.ofMillis(paused ? PAUSED_POLL_MILLIS : POLL_MILLIS));
                if (!records.isEmpty()) {
                    List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(records.count());
                    records.forEach(batch::add);
                    try {
                        handler.accept(batch);
                    } catch (RuntimeException e) {
                        LOG.error("handler failed for {} records of {} from offset {}", batch.size(), topic,
                                batch.get(0).offset(), e);
                    }
                }
                assigned = !consumer.assignment().isEmpty();
                caughtUp = records.isEmpty() && assigned
                        && consumer.assignment().stream().allMatch(tp -> consumer.currentLag(tp).orElse(1) == 0);
                if (caughtUp) {
                    caughtUpAt = System.nanoTime();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("poll loop of {} stopped", topic, e);
        } finally {
            try {
                flushCommitsSync();
            } finally {
                consumer.close(Duration.ofSeconds(2));
            }
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> drainCommits() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : List.copyOf(pendingCommits.keySet())) {
            Long next = pendingCommits.remove(tp);
            if (next != null) {
                offsets.put(tp, new OffsetAndMetadata(next));
            }
        }
        return offsets;
    }

    private void flushCommits() {
        long now = System.nanoTime();
        if (now - lastCommit < COMMIT_EVERY_MILLIS * 1_000_000L) {
            return;
        }
        lastCommit = now;
        Map<TopicPartition, OffsetAndMetadata> offsets = drainCommits();
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, (o, e) -> {
                if (e != null) {
                    LOG.warn("offset commit on {} failed, will be redone by a later commit: {}", topic, e.toString());
                }
            });
        }
    }

    private void flushCommitsSync() {
        Map<TopicPartition, OffsetAndMetadata> offsets = drainCommits();
        if (!offsets.isEmpty()) {
            try {
                consumer.commitSync(offsets, Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                LOG.warn("final offset commit on {} failed: {}", topic, e.toString());
            }
        }
    }

    @Override
    public void close() {
        State was;
        synchronized (this) {
            was = state;
            state = State.CLOSED;
        }
        running = false;
        if (was == State.NEW && consumer != null) {
            consumer.close(Duration.ZERO); // a consumer given, never polled: nothing to commit, no group to leave
        } else if (was == State.RUNNING) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
