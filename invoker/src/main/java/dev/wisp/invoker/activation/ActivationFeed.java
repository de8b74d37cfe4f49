package dev.wisp.invoker.activation;

import dev.wisp.common.codec.Json;
import dev.wisp.common.kafka.Feed;
import dev.wisp.common.message.ActivationMessage;
import dev.wisp.invoker.health.HealthPing;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
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
 * when it is healthy again. Each membership is a generation, a {@link Feed} of its own: activations of an old
 * generation that finish later commit nothing (their records are redelivered to whoever holds the partition,
 * which finds their records and acknowledges them).
 */
public final class ActivationFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActivationFeed.class);
    /** The first pause before a failed activation is handled again (doubled after each failure, to 32 s). */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    /**
     * How long a hand-back waits for the activations running here: short runs finish, while the owner's new work
     * waits no longer than this; a longer run is handed on unfinished and runs again at the owner.
     */
    static final Duration HAND_BACK_WAIT = Duration.ofSeconds(10);

    private final Context context;
    private final String kafka;
    private final String group;
    private final String topic;
    private final ActivationRunner runner;
    private final int maxInFlight;
    private final java.util.function.Consumer<byte[]> pings;
    private volatile Feed<Work> current;
    private volatile boolean standingAside;
    private volatile int inFlight;
    private volatile long lastConsumed;
    private volatile long resumedAt;

    /** A record of the topic: an activation, or one of this invoker's health pings. */
    private record Work(ActivationMessage activation, byte[] ping) {
        static Work decode(String key, byte[] value) {
            return HealthPing.KEY.equals(key) ? new Work(null, value)
                    : new Work(Json.decode(value, ActivationMessage.class), null);
        }

        String describe() {
            return ping != null ? "a health ping"
                    : "[" + activation.transactionId() + "] activation " + activation.activationId();
        }
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

    /**
     * A new membership of the group. An activation whose run failed in the system (its earlier record could not be
     * looked for, its completion or its next attempt not published) is handled again after a pause, as a possible
     * repeat that finds its record first: left alone, it would never run again while this invoker keeps the
     * partition, nor would any later offset of the partition be committed.
     */
    private Feed<Work> generation() {
        return Feed.builder(kafka, group, topic, Work::decode).name(group).maxInFlight(maxInFlight)
                .describe(Work::describe).retryAfter(RETRY_AFTER).durable(context, this::handle);
    }

    private Future<?> handle(Feed.Delivery<Work> d) {
        lastConsumed = System.currentTimeMillis();
        if (d.message().ping() != null) {
            pings.accept(d.message().ping());
            return Future.succeededFuture();
        }
        inFlight++;
        return runner.run(d.message().activation(), d.maybeRedelivered()).onComplete(ar -> {
            if (inFlight-- == maxInFlight) {
                resumedAt = System.currentTimeMillis();
            }
        });
    }

    public void start() {
        current.start();
    }

    /** Leaves the consumer group (blocking up to a few seconds: call off the event loop). */
    public void standAside() {
        if (standingAside) {
            return;
        }
        standingAside = true;
        LOG.warn("{}: leaving the consumer group of {} so that a healthy invoker takes it", group, topic);
        current.close();
    }

    /** Joins the consumer group again after {@link #standAside()}. */
    public void rejoin() {
        if (!standingAside) {
            return;
        }
        Feed<Work> next = generation();
        current = next;
        standingAside = false;
        LOG.info("{}: healthy again; rejoining the consumer group of {}", group, topic);
        next.start();
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
        Feed<Work> feed = current;
        return inFlight == 0 && (standingAside || !feed.assigned() || feed.caughtUpWithin(Duration.ofSeconds(1)));
    }

    /** What keeps a draining invoker from stopping, for its log. */
    public String describe() {
        Feed<Work> feed = current;
        return inFlight + " running, " + (standingAside ? "standing aside" : feed.assigned()
                ? (feed.caughtUpWithin(Duration.ofSeconds(1)) ? "read to the end" : "records left to read")
                : "no partition assigned");
    }

    /**
     * Epoch milliseconds when the feed last took a record or resumed fetching after being full: a feed that was
     * paused for long has read nothing meanwhile, and only from here on should it be expected to.
     */
    public long lastActive() {
        return Math.max(lastConsumed, resumedAt);
    }

    /**
     * Gives an adopted topic back to its owner (or to another adopter): takes no further activation, lets those
     * running here finish for up to {@link #HAND_BACK_WAIT}, then leaves the group, so the owner does not run
     * them a second time while they still run here (it would find no record yet). Blocks: call off the event loop.
     */
    public void handBack() {
        if (!standingAside) {
            current.closeWhenDone(HAND_BACK_WAIT);
        }
    }

    @Override
    public void close() {
        if (!standingAside) {
            current.close();
        }
    }
}
