package dev.wisp.controller.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Exec;
import dev.wisp.common.entity.SemVer;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.controller.store.EntityStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EntityCacheTest {
    private static final EntityPath PATH = EntityPath.of("ns", "a");
    private final AtomicLong now = new AtomicLong(1_000);
    private final List<Promise<Optional<EntityStore.Stored>>> loads = new ArrayList<>();
    private final EntityCache<EntityStore.Stored> cache = new EntityCache<>(p -> {
        Promise<Optional<EntityStore.Stored>> promise = Promise.promise();
        loads.add(promise);
        return promise.future();
    }, Duration.ofSeconds(60), 2, now::get);

    private static Optional<EntityStore.Stored> stored(String rev) {
        return Optional.of(new EntityStore.Stored(new WhiskAction("ns", "a", SemVer.INITIAL, false,
                new Exec("nodejs:default", "x", null, null, null, null), null, null, null, 0), rev));
    }

    @Test
    void secondReadIsAHitUntilEvictedOrExpired() {
        cache.get(PATH);
        loads.get(0).complete(stored("1"));
        Future<Optional<EntityStore.Stored>> hit = cache.get(PATH);
        assertEquals(1, loads.size());
        assertEquals("1", hit.result().orElseThrow().revision());
        cache.evict(PATH.docId());
        cache.get(PATH);
        assertEquals(2, loads.size());
        loads.get(1).complete(stored("2"));
        now.addAndGet(60_000);
        cache.get(PATH);
        assertEquals(3, loads.size(), "an entry past its time-to-live is read again");
    }

    @Test
    void whatThisControllerWroteIsKeptUnlessAnotherEvictionCameBetween() {
        long mark = cache.mark();
        cache.evict(PATH.docId()); // the write's own eviction
        cache.keepWritten(PATH.docId(), stored("2").orElseThrow(), mark);
        assertEquals("2", cache.get(PATH).result().orElseThrow().revision());
        assertEquals(0, loads.size(), "the first read after the write is a hit");

        long again = cache.mark();
        cache.evict(PATH.docId());
        cache.evict("ns/other"); // e.g. another controller's announcement while the write was under way
        cache.keepWritten(PATH.docId(), stored("3").orElseThrow(), again);
        cache.get(PATH);
        assertEquals(1, loads.size(), "not kept: the store is read");
    }

    @Test
    void aReadThatRacedWithAnEvictionIsNotCached() {
        cache.get(PATH);
        cache.evict(PATH.docId());
        loads.get(0).complete(stored("stale"));
        cache.get(PATH);
        assertEquals(2, loads.size());
    }

    @Test
    void missingEntitiesAreNotCachedAndTheSizeIsBounded() {
        cache.get(PATH);
        loads.get(0).complete(Optional.empty());
        cache.get(PATH);
        assertEquals(2, loads.size());
        for (String n : List.of("b", "c", "d")) {
            cache.get(EntityPath.of("ns", n));
            loads.get(loads.size() - 1).complete(stored(n));
        }
        assertTrue(cache.size() <= 2, "size " + cache.size());
    }
}
