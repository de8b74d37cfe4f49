package dev.wisp.controller.cache;

import dev.wisp.common.entity.EntityPath;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The controller's cache of entities read from the store, so that a warm invoke costs no store read. Only
 * entities that exist are cached. An entry leaves the cache when this controller changes the entity, when
 * another controller announces a change through {@link Invalidations}, or when it is older than the
 * time-to-live (a safety net should an announcement be lost).
 *
 * <p>A read that raced with an eviction is not cached: every eviction bumps a counter, and a loaded value is
 * kept only if the counter did not move while it loaded. Any thread may call any method.
 */
public final class EntityCache<T> {
    private final Function<EntityPath, Future<Optional<T>>> loader;
    private final Duration ttl;
    private final int maxEntries;
    private final LongSupplier clock;
    private final Map<String, Entry<T>> entries = new ConcurrentHashMap<>();
    private final AtomicLong evictions = new AtomicLong();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    private record Entry<T>(T value, long loadedAt) {
    }

    /** @param loader reads an entity from the store, e.g. {@code entityStore::getAction} */
    public EntityCache(Function<EntityPath, Future<Optional<T>>> loader, Duration ttl,
                       int maxEntries, LongSupplier clock) {
        this.loader = Objects.requireNonNull(loader, "loader");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.maxEntries = maxEntries;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The entity at this path, from the cache or else the store.
     *
     * @return completes on the caller's context for a hit, else as the loader's Future does
     */
    public Future<Optional<T>> get(EntityPath path) {
        String key = path.docId();
        long now = clock.getAsLong();
        Entry<T> e = entries.get(key);
        if (e != null && now - e.loadedAt() < ttl.toMillis()) {
            hits.incrementAndGet();
            return Future.succeededFuture(Optional.of(e.value()));
        }
        misses.incrementAndGet();
        long generation = evictions.get();
        return loader.apply(path).onSuccess(found -> {
            if (found.isPresent() && evictions.get() == generation) {
                if (entries.size() >= maxEntries) {
                    trim(now);
                }
                entries.put(key, new Entry<>(found.get(), now));
            }
        });
    }

    /** Forgets the entity with this document id. */
    public void evict(String docId) {
        evictions.incrementAndGet();
        entries.remove(docId);
    }

    /** Forgets everything, e.g. when announcements may have been missed. */
    public void clear() {
        evictions.incrementAndGet();
        entries.clear();
    }

    private void trim(long now) {
        entries.values().removeIf(e -> now - e.loadedAt() >= ttl.toMillis());
        Iterator<String> it = entries.keySet().iterator();
        while (entries.size() >= maxEntries && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    public int size() {
        return entries.size();
    }

    public long hits() {
        return hits.get();
    }

    public long misses() {
        return misses.get();
    }
}
