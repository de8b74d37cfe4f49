package dev.wisp.invoker.activation;

import dev.wisp.common.codec.Json;
import dev.wisp.common.kafka.ConsumerLoop;
import dev.wisp.common.kafka.OffsetTracker;
import dev.wisp.common.message.ActivationMessage;
import dev.wisp.invoker.health.HealthPing;
import io.vertx.core.Context;
import java.time.Duration;
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
 *
 * <p>An invoker that cannot work (unhealthy for a while) {@linkplain #standAside() stands aside}: it leaves its
 * consumer group, so the invoker that adopts its topic gets the partition, and {@linkplain #rejoin() rejoins}
 * when it is healthy again. Each membership is a generation with its own consumer and offsets: activations of an
 * old generation that finish later commit nothing (their records are redelivered to whoever holds the partition,
 * which finds their records and acknowledges them).
 */
public final class ActivationFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActivationFeed.class);

    private final Context context;
    private final String kafka;
    private final String group;
    private final String topic;
    private final ActivationRunner runner;
    private final int maxInFlight;
    private final java.util.function.Consumer<byte[]> pings;
    private volatile Generation current;
    private volatile boolean standingAside;
    private volatile int inFlight;
    private volatile long lastConsumed;
    private volatile long resumedAt;

    /** One membership of the consumer group: its consumer, and the offsets of what it took. */
    private record Generation(ConsumerLoop loop, OffsetTracker offsets) {
    }

    /**
     * @param pings receives the invoker's own health pings found in the topic, on the invoker's context
     */
    public ActivationFeed(Context context, String kafka, String group, String topic, ActivationRunner runner,
                          int maxInFlight, java.util.function.Consumer<byte[]> pings) {
        this.context = context;
        this.kafka = kafka;
        this.group = group;
        this.topic = topic;
        this.pings = pings;
        this.runner = runner;
        this.maxInFlight = maxInFlight;
        this.current = generation();
    }

    private Generation generation() {
        ConsumerLoop[] loop = new ConsumerLoop[1];
        OffsetTracker offsets = new OffsetTracker();
        loop[0] = new ConsumerLoop(kafka, group, topic, false, r -> {
            boolean redelivered = loop[0].maybeRedelivered(r);
            context.runOnContext(v -> accept(loop[0], offsets, r, redelivered));
        });
        return new Generation(loop[0], offsets);
    }

    public void start() {
        current.loop().start();
    }

    /** Leaves the consumer group (blocking up to a few seconds: call off the event loop). */
    public void standAside() {
        if (standingAside) {
            return;
        }
        standingAside = true;
        LOG.warn("{}: leaving the consumer group of {} so that a healthy invoker takes it", group, topic);
        current.loop().close();
    }

    /** Joins the consumer group again after {@link #standAside()}. */
    public void rejoin() {
        if (!standingAside) {
            return;
        }
        Generation next = generation();
        current = next;
        standingAside = false;
        LOG.info("{}: healthy again; rejoining the consumer group of {}", group, topic);
        next.loop().start();
        if (inFlight >= maxInFlight) {
            next.loop().pause();
        }
    }

    /** Whether this feed has left its group for now. */
    public boolean standingAside() {
        return standingAside;
    }

    /** Activations running now. Read on the invoker's context. */
    public int inFlight() {
        return inFlight;
    }

    /** Whether fetching is paused because {@code maxInFlight} activations run. Read on any thread. */
    public boolean full() {
        return inFlight >= maxInFlight;
    }

    /**
     * Whether nothing runs and nothing is left to read: a draining invoker may stop. Nothing is left either when
     * a poll in the last second read to the end (a health ping landing since does not count), or when the group
     * gave this consumer no partition (another member, an adopter, holds it and reads what is there).
     */
    public boolean idle() {
        ConsumerLoop loop = current.loop();
        return inFlight == 0 && (standingAside || !loop.assigned() || loop.caughtUpWithin(Duration.ofSeconds(1)));
    }

    /** What keeps a draining invoker from stopping, for its log. */
    public String describe() {
        ConsumerLoop loop = current.loop();
        return inFlight + " running, " + (standingAside ? "standing aside" : loop.assigned()
                ? (loop.caughtUpWithin(Duration.ofSeconds(1)) ? "read to the end" : "records left to read")
                : "no partition assigned");
    }

    /**
     * Epoch milliseconds when the feed last took a record or resumed fetching after being full: a feed that was
     * paused for long has read nothing meanwhile, and only from here on should it be expected to.
     */
    public long lastActive() {
        return Math.max(lastConsumed, resumedAt);
    }

    private void accept(ConsumerLoop loop, OffsetTracker offsets, ConsumerRecord<String, byte[]> record,
                        boolean maybeRedelivered) {
        lastConsumed = System.currentTimeMillis();
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        offsets.started(tp, record.offset());
        if (HealthPing.KEY.equals(record.key())) {
            pings.accept(record.value());
            finished(loop, offsets, tp, record.offset());
            return;
        }
        ActivationMessage msg;
        try {
            msg = Json.decode(record.value(), ActivationMessage.class);
        } catch (RuntimeException e) {
            LOG.error("dropping unreadable activation message at {}@{}: {}", tp, record.offset(), e.toString());
            finished(loop, offsets, tp, record.offset());
            return;
        }
        inFlight++;
        if (inFlight >= maxInFlight) {
            current.loop().pause();
        }
        runner.run(msg, maybeRedelivered).onComplete(ar -> {
            inFlight--;
            if (inFlight == maxInFlight - 1) {
                resumedAt = System.currentTimeMillis();
            }
            if (inFlight < maxInFlight) {
                current.loop().resume();
            }
            if (ar.succeeded()) {
                finished(loop, offsets, tp, record.offset());
            } else {
                // Left uncommitted: it is redelivered after a restart or rebalance.
                LOG.error("[{}] activation {} could not be recorded, left for redelivery: {}",
                        msg.transactionId(), msg.activationId(), ar.cause().toString());
            }
        });
    }

    private void finished(ConsumerLoop loop, OffsetTracker offsets, TopicPartition tp, long offset) {
        OptionalLong commit = offsets.finished(tp, offset);
        if (commit.isPresent()) {
            loop.commit(tp, commit.getAsLong());
        }
    }

    @Override
    public void close() {
        if (!standingAside) {
            current.loop().close();
        }
    }
}
