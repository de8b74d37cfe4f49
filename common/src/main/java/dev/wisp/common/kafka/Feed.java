package dev.wisp.common.kafka;

import dev.wisp.common.codec.Json;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way Wisp consumes a topic: a consumer group member on a thread of its own, with one of two contracts.
 * <ul>
 * <li>{@linkplain Builder#durable Durable} (invocations, fires, sequences): each record is decoded and handed to
 * the handler on a Vert.x context; its offset is committed only once the handler's Future succeeded, and only
 * as a contiguous prefix of the partition, so whatever a dying consumer had not finished is delivered again to
 * the next owner of the partition ({@link Delivery#maybeRedelivered()} tells the handler it may be a repeat).
 * With {@code maxInFlight} records unfinished, fetching pauses rather than buffering without bound. A handler
 * that fails is called again after {@link Builder#retryAfter} (while the feed runs), or, without a retry, its
 * record is left uncommitted for the next owner (so is a failed record whose partition the group gave to another
 * member meanwhile: it is not tried again here). A record that cannot be decoded is logged and skipped: it never
 * stalls the partition. A record delivered again while it still runs here (a rebalance gave the partition back,
 * and the poll went back to the last commit) is not handed over a second time.</li>
 * <li>{@linkplain Builder#bestEffort Best effort} (completions, cache invalidations): offsets are committed
 * automatically and each decoded record goes to the handler on the poll thread, which must be quick.</li>
 * </ul>
 * A feed is started once and closed once; {@link #close()} waits (up to 5 s) for the poll thread, so call it
 * off the event loop.
 *
 * @param <M> what a record decodes to
 */
public final class Feed<M> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Feed.class);
    /** A record that keeps failing is tried again after its pause doubled up to this many times (32 times). */
    private static final int MAX_RETRY_DOUBLINGS = 5;

    /** Turns a record into a message; throws when the record is unreadable. */
    @FunctionalInterface
    public interface Decoder<M> {
        M decode(String key, byte[] value) throws Exception;
    }

    /** Processes one message of a durable feed; the returned Future says when its offset may be committed. */
    @FunctionalInterface
    public interface Handler<M> {
        Future<?> handle(Delivery<M> delivery);
    }

    /**
     * One record of a durable feed.
     *
     * @param maybeRedelivered whether another consumer may have processed it already: it was in the partition
     *                         before this consumer got the partition, or the handler is being called again after a
     *                         failure
     */
    public record Delivery<M>(String key, M message, TopicPartition partition, long offset, boolean maybeRedelivered) {
        Delivery<M> again() {
            return new Delivery<>(key, message, partition, offset, true);
        }
    }

    /** A decoder of JSON values. */
    public static <M> Decoder<M> json(Class<M> type) {
        return (key, value) -> Json.decode(value, type);
    }

    public static <M> Builder<M> builder(String kafka, String group, String topic, Decoder<M> decoder) {
        return new Builder<>(kafka, group, topic, decoder);
    }

    private final String name;
    private final ConsumerLoop loop;
    private final Decoder<M> decoder;
    private final Context context;
    private final Handler<M> handler;
    private final Consumer<List<M>> bestEffort;
    private final int maxInFlight;
    private final Duration retryAfter;
    private final Function<M, String> describe;
    private final OffsetTracker offsets = new OffsetTracker();
    /** The records being handled now, as {@code topic-partition@offset}. On the context. */
    private final java.util.Set<String> running = new java.util.HashSet<>();
    private volatile boolean closed;
    private int inFlight;
    /** Set by {@link #closeWhenDone}: no record is started any more, and fetching stays paused. */
    private volatile boolean stopping;
    /** Completed on the context once {@link #stopping} and nothing runs. */
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    private Feed(Builder<M> b, Context context, Handler<M> handler, Consumer<List<M>> bestEffort) {
        this.name = b.name == null ? b.topic : b.name;
        this.decoder = b.decoder;
        this.context = context;
        this.handler = handler;
        this.bestEffort = bestEffort;
        this.maxInFlight = b.maxInFlight;
        this.retryAfter = b.retryAfter;
        this.describe = b.describe;
        this.loop = b.consumer != null ? new ConsumerLoop(b.consumer, b.topic, this::onRecords)
                : new ConsumerLoop(b.kafka, b.group, b.topic, handler == null, this::onRecords);
    }

    /** Joins the group and starts fetching; a feed starts once. */
    public void start() {
        loop.start();
    }

    /** Whether a poll within {@code window} found nothing left to read (see {@link ConsumerLoop#caughtUpWithin}). */
    public boolean caughtUpWithin(Duration window) {
        return loop.caughtUpWithin(window);
    }

    /** Whether the group gave this feed any partition at its last poll. */
    public boolean assigned() {
        return loop.assigned();
    }

    /** On the poll thread: one poll's records, in order. */
    private void onRecords(List<ConsumerRecord<String, byte[]>> records) {
        if (handler == null) {
            List<M> messages = new ArrayList<>(records.size());
            for (ConsumerRecord<String, byte[]> record : records) {
                M message = decodeOrNull(record);
                if (message != null) {
                    messages.add(message);
                }
            }
            if (!messages.isEmpty()) {
                bestEffort.accept(messages);
            }
            return;
        }
        boolean[] maybeRedelivered = new boolean[records.size()];
        for (int i = 0; i < maybeRedelivered.length; i++) {
            maybeRedelivered[i] = loop.maybeRedelivered(records.get(i));
        }
        // one task for the whole poll: under load a poll brings several records, and each task handed to the
        // context's event loop from this thread costs a wake-up of that loop
        context.runOnContext(v -> {
            for (int i = 0; i < maybeRedelivered.length; i++) {
                ConsumerRecord<String, byte[]> record = records.get(i);
                try {
                    accept(record, maybeRedelivered[i]);
                } catch (RuntimeException e) {
                    LOG.error("{}: the record at {}-{}@{} failed: {}", name, record.topic(), record.partition(),
                            record.offset(), e.toString());
                }
            }
        });
    }

    private M decodeOrNull(ConsumerRecord<String, byte[]> record) {
        try {
            return Objects.requireNonNull(decoder.decode(record.key(), record.value()), "nothing decoded");
        } catch (Exception e) {
            LOG.error("{}: skipping the unreadable record at {}-{}@{}: {}", name, record.topic(), record.partition(),
                    record.offset(), e.toString());
            return null;
        }
    }

    /** On the context. */
    private void accept(ConsumerRecord<String, byte[]> record, boolean maybeRedelivered) {
        if (stopping) {
            return; // not started here: left uncommitted, the next owner of the partition runs it
        }
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        String at = tp + "@" + record.offset();
        if (running.contains(at)) {
            // a rebalance gave the partition back and the poll went back to the last commit: the run in progress
            // here finishes this record (running it again would run the action twice)
            LOG.info("{}: {} delivered again while it runs here; the run in progress finishes it", name, at);
            return;
        }
        offsets.started(tp, record.offset());
        M message = decodeOrNull(record);
        if (message == null) {
            finished(tp, record.offset());
            return;
        }
        if (++inFlight >= maxInFlight) {
            loop.pause();
        }
        running.add(at);
        run(new Delivery<>(record.key(), message, tp, record.offset(), maybeRedelivered), 0);
    }

    /** @param failures how many times the handler failed on this record before */
    private void run(Delivery<M> d, int failures) {
        Future<?> outcome;
        try {
            outcome = handler.handle(d);
        } catch (RuntimeException e) {
            outcome = Future.failedFuture(e);
        }
        outcome.onComplete(ar -> {
            if (ar.succeeded()) {
                // its commit first: done() may let a hand-over close the loop, which commits only what is pending
                finished(d.partition(), d.offset());
                done(d);
            } else if (retryAfter != null && !closed && !stopping) {
                long pause = retryAfter.toMillis() << Math.min(failures, MAX_RETRY_DOUBLINGS);
                LOG.warn("{}: {} not finished, trying again in {} ms: {}", name, describe.apply(d.message()),
                        pause, ar.cause().toString());
                context.owner().setTimer(pause, t -> {
                    if (closed || stopping) {
                        done(d); // handed on uncommitted: the next owner runs it
                    } else if (!loop.owns(d.partition())) {
                        // the group gave the partition to another member, which runs the record from the last
                        // commit: running it here too would run it twice (given back, it is delivered again)
                        LOG.info("{}: {} not tried again here: its partition {} went to another member", name,
                                describe.apply(d.message()), d.partition());
                        done(d);
                    } else {
                        run(d.again(), failures + 1);
                    }
                });
            } else {
                done(d); // no longer running: delivered again after a rebalance, it runs again
                LOG.error("{}: {} not finished, left uncommitted for redelivery: {}", name,
                        describe.apply(d.message()), ar.cause().toString());
            }
        });
    }

    private void done(Delivery<M> d) {
        running.remove(d.partition() + "@" + d.offset());
        if (--inFlight < maxInFlight && !stopping) {
            loop.resume();
        }
        if (stopping && inFlight == 0) {
            drained.complete(null);
        }
    }

    private void finished(TopicPartition tp, long offset) {
        OptionalLong commit = offsets.finished(tp, offset);
        if (commit.isPresent()) {
            loop.commit(tp, commit.getAsLong());
        }
    }

    /**
     * Hands the partitions on without running anything twice: starts no further record (those fetched already
     * are left uncommitted for the next owner), lets the records running here finish for up to {@code max}, then
     * {@linkplain #close() closes}, committing what finished. Closed at once, the next owner would find the
     * running records uncommitted and without a final record, and run them again while they still ran here. A
     * record still running at {@code max} is handed on as {@link #close()} does. Blocks: call off the event loop.
     */
    public void closeWhenDone(Duration max) {
        if (handler == null) {
            close(); // a best-effort feed commits as it reads: nothing of it runs here to wait for
            return;
        }
        stopping = true;
        loop.pause();
        context.runOnContext(v -> {
            if (inFlight == 0) {
                drained.complete(null);
            }
        });
        try {
            drained.get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("{}: handing on its partitions with records still running here after {} ms: the next owner"
                    + " runs them again", name, max.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // never completed exceptionally
        }
        close();
    }

    /** Leaves the group (committing what is finished) and stops the poll thread; blocks up to 5 s. */
    @Override
    public void close() {
        closed = true;
        loop.close();
    }

    /** How a feed is set up; ends with {@link #durable} or {@link #bestEffort}. */
    public static final class Builder<M> {
        private final String kafka;
        private final String group;
        private final String topic;
        private final Decoder<M> decoder;
        private String name;
        private int maxInFlight = 256;
        private Duration retryAfter;
        private Function<M, String> describe = m -> "a record";
        private org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;

        private Builder(String kafka, String group, String topic, Decoder<M> decoder) {
            this.kafka = Objects.requireNonNull(kafka, "kafka");
            this.group = Objects.requireNonNull(group, "group");
            this.topic = Objects.requireNonNull(topic, "topic");
            this.decoder = Objects.requireNonNull(decoder, "decoder");
        }

        /** What the feed is called in log lines; the topic by default. */
        public Builder<M> name(String name) {
            this.name = name;
            return this;
        }

        /** How many records may be unfinished before fetching pauses (durable feeds); 256 by default. */
        public Builder<M> maxInFlight(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxInFlight must be at least 1");
            }
            this.maxInFlight = max;
            return this;
        }

        /**
         * Calls a failed handler again after this pause, doubled after each failure up to 32 times, until it
         * succeeds or the feed stops (then its record is handed on uncommitted). Without a retry, a failed record
         * stays uncommitted, and so does every later one of its partition, until the partition's next owner.
         */
        public Builder<M> retryAfter(Duration pause) {
            this.retryAfter = pause;
            return this;
        }

        /** How a message is named in log lines, e.g. with its transaction and activation ids. */
        public Builder<M> describe(Function<M, String> describe) {
            this.describe = Objects.requireNonNull(describe, "describe");
            return this;
        }

        /** Reads through this consumer instead of one of its own (a test's {@code MockConsumer}). */
        Builder<M> consumer(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer) {
            this.consumer = consumer;
            return this;
        }

        /** A feed whose offsets are committed once {@code handler}, run on {@code context}, finished a record. */
        public Feed<M> durable(Context context, Handler<M> handler) {
            return new Feed<>(this, Objects.requireNonNull(context, "context"), Objects.requireNonNull(handler,
                    "handler"), null);
        }

        /** A feed whose offsets are committed automatically; {@code handler} runs on the poll thread. */
        public Feed<M> bestEffort(Consumer<M> handler) {
            Objects.requireNonNull(handler, "handler");
            String feed = name == null ? topic : name;
            return bestEffortBatches(messages -> {
                for (M m : messages) {
                    try {
                        handler.accept(m);
                    } catch (RuntimeException e) {
                        LOG.error("{}: the handler failed: {}", feed, e.toString());
                    }
                }
            });
        }

        /** Like {@link #bestEffort}, with each poll's messages at once (in order), so they can be handed on at once. */
        public Feed<M> bestEffortBatches(Consumer<List<M>> handler) {
            return new Feed<>(this, null, null, Objects.requireNonNull(handler, "handler"));
        }
    }
}
