package dev.wisp.controller.health;

import dev.wisp.common.http.HttpErrors;
import dev.wisp.common.kafka.KafkaSender;
import dev.wisp.common.kafka.Topics;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this controller can publish now, answered at {@code GET /ping} (200 {@code pong}, or 503 JSON): a
 * controller that cannot reach Kafka would answer every invoke 503 after its send timeout, so the edge gateway,
 * which pings every controller, routes around it while another can publish. Every confirmed publish counts; when
 * none was confirmed for {@link #PROBE_AFTER}, a small record is published to {@link Topics#HEALTH} to find out.
 * A controller is unhealthy once nothing was confirmed for {@link #STALE} (after a start-up grace of as long).
 */
public final class PublishHealth implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PublishHealth.class);
    static final Duration PROBE_AFTER = Duration.ofSeconds(2);
    static final Duration STALE = Duration.ofSeconds(6);

    private final Vertx vertx;
    private final KafkaSender sender;
    private final String controllerId;
    private final LongSupplier clock;
    private final long startedAt;
    private volatile boolean healthy = true;
    private long timer = -1;

    public PublishHealth(Vertx vertx, KafkaSender sender, String controllerId, LongSupplier clock) {
        this.vertx = vertx;
        this.sender = sender;
        this.controllerId = controllerId;
        this.clock = clock;
        this.startedAt = clock.getAsLong();
    }

    /** Starts probing; call on the controller's context. */
    public void start() {
        timer = vertx.setPeriodic(PROBE_AFTER.toMillis() / 2, t -> check());
    }

    private void check() {
        long now = clock.getAsLong();
        long confirmed = Math.max(sender.lastConfirmed(), startedAt);
        if (now - confirmed >= PROBE_AFTER.toMillis()) {
            sender.send(Topics.HEALTH, controllerId, Long.toString(now).getBytes(StandardCharsets.UTF_8));
        }
        boolean next = healthy(now);
        if (next != healthy) {
            if (next) {
                LOG.info("{} publishes to Kafka again; healthy", controllerId);
            } else {
                LOG.warn("{} has had no publish confirmed by Kafka for {} ms; answering /ping 503 so that the gateway"
                        + " routes around it", controllerId, now - confirmed);
            }
            healthy = next;
        }
    }

    /** Whether a publish was confirmed within {@link #STALE} of {@code now} (or the controller is that new). */
    boolean healthy(long now) {
        return now - Math.max(sender.lastConfirmed(), startedAt) < STALE.toMillis();
    }

    /** Serves {@code GET /ping}. */
    public void install(Router router) {
        router.get("/ping").handler(ctx -> {
            if (healthy) {
                ctx.response().end("pong");
            } else {
                HttpErrors.answer(ctx.request(), 503, "This controller cannot publish to Kafka (nothing confirmed for"
                        + " over " + STALE.toSeconds() + " s).", null);
            }
        });
    }

    @Override
    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
