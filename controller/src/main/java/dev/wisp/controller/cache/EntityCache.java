package dev.wisp.controller.cache;

import com.google.common.base.Ticker;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.wisp.common.entity.EntityPath;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The controller's cache of entities read from the store, so that a warm invoke costs no store read. Only
 * entities that exist are cached; an entity this controller has just written may be kept as written
 * ({@link #keepWritten}). An entry leaves the cache when this controller changes the entity, when
 * another controller announces a change through {@link Invalidations}, or when it is older than the
 * time-to-live (a safety net should an announcement be lost).
 *
 * <p>A read that raced with an eviction is not cached: every eviction bumps a counter, and a loaded value is
 * kept only if the counter did not move while it loaded. Any thread may call any method.
 */
public final class EntityCache<T> {
    private final Function<EntityPath, Future<Optional<T>>> loader;
    private final Cache<String, T> entries;
    private final AtomicLong evictions = new AtomicLong();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    /**
     * @param loader     reads an entity from the store, e.g. {@code entityStore::getAction}
     * @param maxEntries beyond this many, the least recently used entries leave first
     * @param clock      milliseconds, for the time-to-live (a test's own clock)
     */
    public EntityCache(Function<EntityPath, Future<Optional<T>>> loader, Duration ttl,
                       int maxEntries, LongSupplier clock) {
        this.loader = Objects.requireNonNull(loader, "loader");
        Objects.requireNonNull(clock, "clock");
        this.entries = CacheBuilder.newBuilder()
                .expireAfterWrite(Objects.requireNonNull(ttl, "ttl"))
                .maximumSize(maxEntries)
                .ticker(new Ticker() {
                    @Override
                    public long read() {
                        return TimeUnit.MILLISECONDS.toNanos(clock.getAsLong());
                    }
                })
                .build();
    }

    /**
     * The entity at this path, from the cache or else the store.
     *
     * @return completes on the caller's context for a hit, else as the loader's Future does
     */
    public Future<Optional<T>> get(EntityPath path) {
        String key = path.docId();
        T cached = entries.getIfPresent(key);
        if (cached != null) {
            hits.incrementAndGet();
            return Future.succeededFuture(Optional.of(cached));
        }
        misses.incrementAndGet();
        long generation = evictions.get();
        return loader.apply(path).onSuccess(found -> {
            if (found.isPresent() && evictions.get() == generation) {
                entries.put(key, found.get());
            }
        });
    }

    /** A mark to take before writing an entity whose written value {@link #keepWritten} may then keep. */
    public long mark() {
        return evictions.get();
    }

    /**
     * Keeps an entity this controller has just written, as a read now returns it, so that the next {@link #get}
     * needs no store read. Kept only if the write's own eviction is the only one since {@code mark} (taken before
     * the write): any other eviction, of any entity, may have been a newer change announced by another controller,
     * and then the next {@code get} reads the store instead.
     */
    public void keepWritten(String docId, T value, long mark) {
        if (evictions.get() != mark + 1) {
            return;
        }
        entries.put(docId, value);
        if (evictions.get() != mark + 1) {
            entries.invalidate(docId); // an eviction came while it was being put
        }
    }

    /** Forgets the entity with this document id. */
    public void evict(String docId) {
        evictions.incrementAndGet();
        entries.invalidate(docId);
    }

    /** Forgets everything, e.g. when announcements may have been missed. */
    public void clear() {
        evictions.incrementAndGet();
        entries.invalidateAll();
    }

    public int size() {
        entries.cleanUp();
        return (int) entries.size();
    }

    public long hits() {
        return hits.get();
    }

    public long misses() {
        return misses.get();
    }
}
