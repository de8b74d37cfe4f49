package dev.wisp.invoker.activation;

import dev.wisp.common.codec.Json;
import dev.wisp.common.kafka.ConsumerLoop;
import dev.wisp.common.kafka.OffsetTracker;
import dev.wisp.common.message.ActivationMessage;
import dev.wisp.invoker.health.HealthPing;
import io.vertx.core.Context;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds this invoker's topic to the runner. Offsets are committed only after an activation's record is
 * durable, and only as a contiguous prefix; when {@code maxInFlight} activations run, fetching pauses instead of
 * buffering without bound. Records arrive on the Kafka thread and are handed to the invoker's context, where
 * all other state lives.
 */
public final class ActivationFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActivationFeed.class);

    private final Context context;
    private final ActivationRunner runner;
    private final int maxInFlight;
    private final java.util.function.Consumer<byte[]> pings;
    private final ConsumerLoop loop;
    private final OffsetTracker offsets = new OffsetTracker();
    private volatile int inFlight;
    private volatile long lastConsumed;
    private volatile long resumedAt;

    /**
     * @param pings receives the invoker's own health pings found in the topic, on the invoker's context
     */
    public ActivationFeed(Context context, String kafka, String group, String topic, ActivationRunner runner,
                          int maxInFlight, java.util.function.Consumer<byte[]> pings) {
        this.context = context;
        this.pings = pings;
        this.runner = runner;
        this.maxInFlight = maxInFlight;
        this.loop = new ConsumerLoop(kafka, group, topic, false, r -> {
            boolean redelivered = loop().maybeRedelivered(r);
            context.runOnContext(v -> accept(r, redelivered));
        });
    }

    private ConsumerLoop loop() {
        return loop;
    }

    public void start() {
        loop.start();
    }

    /** Activations running now. Read on the invoker's context. */
    public int inFlight() {
        return inFlight;
    }

    /** Whether fetching is paused because {@code maxInFlight} activations run. Read on any thread. */
    public boolean full() {
        return inFlight >= maxInFlight;
    }

    /** Whether nothing runs and nothing is left to read: a draining invoker may stop. */
    public boolean idle() {
        return inFlight == 0 && loop.caughtUp();
    }

    /**
     * Epoch milliseconds when the feed last took a record or resumed fetching after being full: a feed that was
     * paused for long has read nothing meanwhile, and only from here on should it be expected to.
     */
    public long lastActive() {
        return Math.max(lastConsumed, resumedAt);
    }

    private void accept(ConsumerRecord<String, byte[]> record, boolean maybeRedelivered) {
        lastConsumed = System.currentTimeMillis();
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        offsets.started(tp, record.offset());
        if (HealthPing.KEY.equals(record.key())) {
            pings.accept(record.value());
            finished(tp, record.offset());
            return;
        }
        ActivationMessage msg;
        try {
            msg = Json.decode(record.value(), ActivationMessage.class);
        } catch (RuntimeException e) {
            LOG.error("dropping unreadable activation message at {}@{}: {}", tp, record.offset(), e.toString());
            finished(tp, record.offset());
            return;
        }
        inFlight++;
        if (inFlight >= maxInFlight) {
            loop.pause();
        }
        runner.run(msg, maybeRedelivered).onComplete(ar -> {
            inFlight--;
            if (inFlight == maxInFlight - 1) {
                resumedAt = System.currentTimeMillis();
            }
            if (inFlight < maxInFlight) {
                loop.resume();
            }
            if (ar.succeeded()) {
                finished(tp, record.offset());
            } else {
                // Left uncommitted: it is redelivered after a restart or rebalance.
                LOG.error("[{}] activation {} could not be recorded, left for redelivery: {}",
                        msg.transactionId(), msg.activationId(), ar.cause().toString());
            }
        });
    }

    private void finished(TopicPartition tp, long offset) {
        OptionalLong commit = offsets.finished(tp, offset);
        if (commit.isPresent()) {
            loop.commit(tp, commit.getAsLong());
        }
    }

    @Override
    public void close() {
        loop.close();
    }
}
