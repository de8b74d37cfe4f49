package dev.wisp.invoker.health;

import dev.wisp.common.kafka.KafkaSender;
import dev.wisp.invoker.docker.DockerEngine;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invoker's health from real checks of the paths work takes, never from a test action: the Docker engine
 * answers a ping, and a ping record published to the invoker's own topic comes back through its own consumer
 * within the staleness bound. Runs on the invoker's context.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

    private final Vertx vertx;
    private final DockerEngine docker;
    private final KafkaSender sender;
    private final String topic;
    private final Duration interval;
    private final Duration stale;
    private final long startedAt = System.currentTimeMillis();
    private volatile boolean dockerOk = true;
    private volatile long lastPingSeen;
    private volatile long lastPingSent = System.currentTimeMillis();
    private final java.util.function.BooleanSupplier busy;
    private final java.util.function.LongSupplier lastConsumed;
    private final java.util.function.LongSupplier recordsWaitingSince;
    private volatile boolean healthy = true;
    private long timer = -1;

    /**
     * @param busy         whether the invoker's feed is paused because it is full, or has left its group while
     *                     unhealthy (then pings wait in the topic, and publishing them proves the path)
     * @param lastConsumed when the feed last took a record, or resumed fetching after it was full: with a backlog
     *                     the ping waits behind it, but records flowing prove the path as well as the ping would;
     *                     and a feed that was paused longer than the staleness bound (its activations waited for
     *                     containers) must not count as stale the moment it stops being full, before its next
     *                     poll (that made the invoker unhealthy for one heartbeat, and a controller with no other
     *                     invoker answered 503 meanwhile)
     * @param recordsWaitingSince since when the oldest record the store has not taken yet has waited, 0 for none:
     *                     a store that takes no record for longer than the staleness bound (unreachable, its disk
     *                     full) makes the invoker unhealthy, so that no more work is placed here meanwhile
     */
    public HealthMonitor(Vertx vertx, DockerEngine docker, KafkaSender sender, String topic, Duration interval,
                         Duration stale, java.util.function.BooleanSupplier busy,
                         java.util.function.LongSupplier lastConsumed,
                         java.util.function.LongSupplier recordsWaitingSince) {
        this.vertx = vertx;
        this.recordsWaitingSince = recordsWaitingSince;
        this.busy = busy;
        this.lastConsumed = lastConsumed;
        this.docker = docker;
        this.sender = sender;
        this.topic = topic;
        this.interval = interval;
        this.stale = stale;
    }

    public void start() {
        timer = vertx.setPeriodic(interval.toMillis(), t -> check());
        check();
    }

    private void check() {
        docker.ping().onComplete(ar -> dockerOk = ar.succeeded());
        sender.send(topic, HealthPing.KEY, HealthPing.encode(System.currentTimeMillis()))
                .onSuccess(v -> lastPingSent = System.currentTimeMillis());
        long now = System.currentTimeMillis();
        // A feed paused because the invoker is full reads no pings: that is backpressure, not a broken path, as
        // long as publishing still works.
        boolean consuming = now - Math.max(Math.max(lastPingSeen, lastConsumed.getAsLong()), startedAt) <= stale.toMillis();
        boolean kafkaOk = consuming || (busy.getAsBoolean() && now - lastPingSent <= stale.toMillis());
        long waitingSince = recordsWaitingSince.getAsLong();
        boolean storeOk = waitingSince == 0 || now - waitingSince <= stale.toMillis();
        boolean next = dockerOk && kafkaOk && storeOk;
        if (next != healthy) {
            LOG.warn("invoker health changed to {} (docker {}, kafka round trip {}, store {})",
                    next ? "healthy" : "unhealthy", dockerOk ? "ok" : "failing", kafkaOk ? "ok" : "stale",
                    storeOk ? "ok" : "takes no records");
        }
        healthy = next;
    }

    /** Called by the feed when one of this invoker's pings came back. */
    public void pingSeen(byte[] value) {
        long sentAt = HealthPing.decode(value);
        if (sentAt > 0) {
            lastPingSeen = System.currentTimeMillis();
        }
    }

    public boolean healthy() {
        return healthy;
    }

    @Override
    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
