package dev.wisp.controller.activation;

import dev.wisp.common.codec.Json;
import dev.wisp.common.kafka.TopicScan;
import dev.wisp.common.message.ActivationMessage;
import dev.wisp.controller.zookeeper.Incarnations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Never silence, whoever dies. A {@link Reaper} keeps the activations its controller accepted in memory; this
 * makes that list survive the controller. Each controller registers its incarnation in ZooKeeper
 * ({@code /wisp/controllers/incarnations/<id>.<start>}, holding the time it was last seen, refreshed every
 * minute) with an ephemeral {@code alive} child. An incarnation without {@code alive} is a controller that is
 * gone, reaper list and all. A live controller adopts it: it creates the incarnation's ephemeral {@code adopter}
 * child (so exactly one adopts, and another takes over if the adopter dies too), reads the invoker topics from
 * the time the dead one was last seen minus the longest an activation may wait for its record, keeps the
 * activations it had accepted (its id as their {@code replyTo}), and hands those without a final record to its
 * own reaper with the longest action timeout. Once all of them are past their deadlines the incarnation is
 * deleted. Kafka holds every accepted activation (acks=all before the 2xx), so nothing a dead controller
 * accepted escapes.
 */
public final class ReaperAdoption implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReaperAdoption.class);
    private static final Pattern INVOKER_TOPIC = Pattern.compile("wisp\\.invoker\\d+");
    private static final String ALIVE = "alive";
    private static final String ADOPTER = "adopter";
    static final long CHECK_MILLIS = 10_000;
    static final long SEEN_MILLIS = 60_000;
    /** How long a scan of the invoker topics may read before it gives up (and is tried again). */
    private static final long SCAN_MILLIS = 300_000;
    /** Activation ids looked up in the store in one request. */
    private static final int LOOKUP_BATCH = 1_000;

    private final Vertx vertx;
    private final Incarnations incarnations;
    private final String kafka;
    private final Reaper reaper;
    private final Function<Collection<String>, Future<Set<String>>> recorded;
    private final int timeoutMaxMs;
    private final long waitMillis;
    private final String self;
    /** Incarnations this controller adopted, and when their last adopted activation is past its deadline. */
    private final Map<String, Long> adopted = new ConcurrentHashMap<>();
    private java.io.Closeable alive;
    private long checkTimer = -1;
    private long seenTimer = -1;

    /**
     * @param recorded     which of these activation ids have a final record
     * @param timeoutMaxMs the longest action timeout, the one adopted activations are given
     * @param grace        the reaper's grace past an activation's timeout
     */
    public ReaperAdoption(Vertx vertx, Incarnations incarnations, String controllerId, String kafka, Reaper reaper,
                          Function<Collection<String>, Future<Set<String>>> recorded, int timeoutMaxMs,
                          Duration grace) {
        this.vertx = vertx;
        this.incarnations = incarnations;
        this.kafka = kafka;
        this.reaper = reaper;
        this.recorded = recorded;
        this.timeoutMaxMs = timeoutMaxMs;
        this.waitMillis = timeoutMaxMs + grace.toMillis();
        this.self = controllerId + "." + System.currentTimeMillis();
    }

    /** Registers this incarnation and starts looking for dead ones. Blocking: call off the event loop. */
    public void start() throws Exception {
        incarnations.create(self, seen(System.currentTimeMillis()));
        alive = incarnations.keep(self, ALIVE);
        seenTimer = vertx.setPeriodic(SEEN_MILLIS, t -> vertx.executeBlocking(() -> {
            incarnations.setData(self, seen(System.currentTimeMillis()));
            return null;
        }, false).onFailure(e -> LOG.warn("could not refresh this controller's incarnation: {}", e.toString())));
        checkTimer = vertx.setPeriodic(CHECK_MILLIS, t -> check());
    }

    /** Looks for incarnations to adopt, and deletes the adopted ones that are done. */
    Future<Void> check() {
        return vertx.executeBlocking(() -> {
            for (String name : incarnations.all()) {
                if (name.equals(self)) {
                    continue;
                }
                Long doneAt = adopted.get(name);
                if (doneAt != null) {
                    if (doneAt <= System.currentTimeMillis()) {
                        incarnations.delete(name);
                        adopted.remove(name);
                        LOG.info("the adopted activations of controller incarnation {} are all past their deadlines;"
                                + " forgot it", name);
                    }
                    continue;
                }
                List<String> children = incarnations.children(name);
                if (!children.contains(ALIVE) && !children.contains(ADOPTER)
                        && incarnations.claim(name, ADOPTER, self.getBytes(StandardCharsets.UTF_8))) {
                    adopt(name);
                }
            }
            return null;
        }, false).onFailure(e -> LOG.warn("could not look for dead controllers' activations: {}", e.toString()))
                .mapEmpty();
    }

    /** Runs on a worker thread: reads what the dead incarnation accepted and tracks what has no record. */
    private void adopt(String name) throws Exception {
        String controllerId = name.substring(0, name.lastIndexOf('.'));
        long lastSeen = Long.parseLong(new String(incarnations.data(name), StandardCharsets.UTF_8));
        long from = lastSeen - waitMillis - SEEN_MILLIS;
        Map<String, Long> publishedAt = new HashMap<>();
        List<ActivationMessage> accepted = scan(from, controllerId, publishedAt);
        Map<String, ActivationMessage> byId = new HashMap<>();
        accepted.forEach(m -> byId.put(m.activationId().value(), m));
        Set<String> done = new java.util.HashSet<>();
        List<String> ids = List.copyOf(byId.keySet());
        for (int i = 0; i < ids.size(); i += LOOKUP_BATCH) {
            done.addAll(recorded.apply(ids.subList(i, Math.min(ids.size(), i + LOOKUP_BATCH)))
                    .toCompletionStage().toCompletableFuture().get());
        }
        long last = System.currentTimeMillis();
        int tracked = 0;
        for (ActivationMessage m : byId.values()) {
            if (!done.contains(m.activationId().value())) {
                // from its latest publish: one that took over an idempotency key arrived long before it
                long since = Math.max(m.arrivedAt(), publishedAt.getOrDefault(m.activationId().value(), 0L));
                reaper.track(m, timeoutMaxMs, since);
                last = Math.max(last, since + waitMillis);
                tracked++;
            }
        }
        adopted.put(name, last + CHECK_MILLIS);
        LOG.info("adopted controller incarnation {}: {} activations it accepted since {}, {} without a final record"
                + " now watched by this controller's reaper", name, byId.size(), java.time.Instant.ofEpochMilli(from),
                tracked);
    }

    /**
     * The activations on the invoker topics since {@code from} (epoch ms) that {@code controllerId} accepted, and
     * into {@code publishedAt} when each was last published (by id).
     */
    private List<ActivationMessage> scan(long from, String controllerId, Map<String, Long> publishedAt) {
        Map<String, ActivationMessage> found = new LinkedHashMap<>();
        TopicScan.since(kafka, INVOKER_TOPIC, from, Duration.ofMillis(SCAN_MILLIS), (key, value, timestamp) -> {
            ActivationMessage m = decode(value);
            if (m != null && controllerId.equals(m.replyTo())) {
                found.put(m.activationId().value(), m);
                publishedAt.merge(m.activationId().value(), timestamp, Math::max);
            }
        });
        return List.copyOf(found.values());
    }

    private static ActivationMessage decode(byte[] value) {
        try {
            return Json.decode(value, ActivationMessage.class);
        } catch (RuntimeException notAnActivation) {
            return null; // a health ping
        }
    }

    private static byte[] seen(long at) {
        return Long.toString(at).getBytes(StandardCharsets.UTF_8);
    }

    /** Stops watching; the incarnation stays, without {@code alive}, for another controller to adopt. */
    @Override
    public void close() {
        if (checkTimer >= 0) {
            vertx.cancelTimer(checkTimer);
        }
        if (seenTimer >= 0) {
            vertx.cancelTimer(seenTimer);
        }
        if (alive != null) {
            try {
                alive.close();
            } catch (java.io.IOException e) {
                LOG.warn("could not leave this controller's incarnation: {}", e.toString());
            }
        }
    }
}
