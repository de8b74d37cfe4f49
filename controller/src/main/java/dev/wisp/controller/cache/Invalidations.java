package dev.wisp.controller.cache;

import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.kafka.Feed;
import dev.wisp.common.kafka.KafkaSender;
import dev.wisp.controller.store.EntityStore;
import dev.wisp.common.kafka.Topics;
import io.vertx.core.Future;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the entity caches of all controllers coherent through the {@link Topics#cacheInvalidation()} topic:
 * {@link #changed} evicts locally and announces the change; every controller consumes the topic in its own
 * group and evicts what others changed. Between another controller's write and the arrival of its
 * announcement (milliseconds) this controller may still serve the previous revision; the invoker runs exactly
 * the revision named in the activation, so an invoke never mixes two revisions.
 */
public final class Invalidations implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Invalidations.class);

    private final String controllerId;
    private final List<EntityCache<?>> caches = new CopyOnWriteArrayList<>();
    private final EntityCache<EntityStore.Stored> actions;
    private final KafkaSender sender;
    private final Feed<InvalidationMessage> feed;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /** @param cache the action cache; {@link #alsoEvictFrom} adds others */
    public Invalidations(String bootstrapServers, String controllerId, EntityCache<EntityStore.Stored> cache,
                         KafkaSender sender) {
        this.controllerId = Objects.requireNonNull(controllerId, "controllerId");
        this.actions = Objects.requireNonNull(cache, "cache");
        this.caches.add(cache);
        this.sender = Objects.requireNonNull(sender, "sender");
        this.feed = Feed.builder(bootstrapServers, "cache-" + controllerId, Topics.cacheInvalidation(),
                Feed.json(InvalidationMessage.class)).name("cache invalidations").bestEffort(this::onChange);
    }

    /** Keeps one more cache coherent (e.g. packages next to actions); entity document ids never collide. */
    public void alsoEvictFrom(EntityCache<?> cache) {
        caches.add(Objects.requireNonNull(cache, "cache"));
    }

    public void start() {
        feed.start();
    }

    /**
     * Tells {@code listener} the key of every change announced by another controller or by the admin command
     * (e.g. {@link InvalidationMessage#subjectKey}); called on the Kafka poll thread, it must be quick.
     */
    public void addListener(Consumer<String> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Evicts the entity here and tells the other controllers. Call after the store accepted the change.
     *
     * @return completes once the announcement is in Kafka; a failure is logged and answered as success, since
     *         the change itself is durable and the other caches' time-to-live bounds the staleness
     */
    public Future<Void> changed(EntityPath path) {
        caches.forEach(c -> c.evict(path.docId()));
        byte[] message = Json.encode(new InvalidationMessage(path.docId(), controllerId));
        return sender.send(Topics.cacheInvalidation(), path.docId(), message)
                .recover(e -> {
                    LOG.warn("could not announce the change of {} to other controllers: {}", path, e.toString());
                    return Future.succeededFuture();
                });
    }

    /** A mark to take before writing an action, for {@link #changed(EntityPath, long, EntityStore.Stored)}. */
    public long mark() {
        return actions.mark();
    }

    /**
     * As {@link #changed(EntityPath)} for an action just written, and keeps {@code written} (the action as a read
     * now returns it) in this controller's action cache unless something else was evicted since {@code mark}: the
     * action's first invoke after a {@code PUT} then needs no store read.
     */
    public Future<Void> changed(EntityPath path, long mark, EntityStore.Stored written) {
        Future<Void> announced = changed(path);
        actions.keepWritten(path.docId(), written, mark);
        return announced;
    }

    /**
     * Tells the other controllers that something under {@code key} changed (e.g.
     * {@link InvalidationMessage#apisKey}); the caller has updated its own view already. Like {@link #changed}, a
     * failure to announce is logged and answered as success.
     */
    public Future<Void> announce(String key) {
        byte[] message = Json.encode(new InvalidationMessage(key, controllerId));
        return sender.send(Topics.cacheInvalidation(), key, message)
                .recover(e -> {
                    LOG.warn("could not announce the change of {} to other controllers: {}", key, e.toString());
                    return Future.succeededFuture();
                });
    }

    private void onChange(InvalidationMessage m) {
        if (!m.origin().equals(controllerId)) {
            caches.forEach(c -> c.evict(m.key()));
            listeners.forEach(l -> l.accept(m.key()));
        }
    }

    @Override
    public void close() {
        feed.close();
    }
}
