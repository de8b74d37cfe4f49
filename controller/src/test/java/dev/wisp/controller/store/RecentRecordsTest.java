package dev.wisp.controller.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.Activation;
import dev.wisp.common.entity.ActivationResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentRecordsTest {
    private final AtomicLong now = new AtomicLong(1_000);

    private static Activation record(String id) {
        return new Activation("guest", "hello", "guest", id, "0.0.1", false, 1, 2, 1,
                ActivationResponse.success(Json.object()), List.of(), List.of(), null);
    }

    @Test
    void keepsARecordForItsTimeToLive() {
        RecentRecords recent = new RecentRecords(10, 60_000, now::get);
        recent.put(record("a".repeat(32)));
        now.addAndGet(60_000);
        assertEquals("a".repeat(32), recent.get("a".repeat(32)).orElseThrow().activationId());
        now.addAndGet(1);
        assertTrue(recent.get("a".repeat(32)).isEmpty(), "gone after a minute");
        assertTrue(recent.get("b".repeat(32)).isEmpty(), "never seen");
    }

    @Test
    void dropsTheOldestBeyondItsCapacity() {
        RecentRecords recent = new RecentRecords(2, 60_000, now::get);
        recent.put(record("1".repeat(32)));
        recent.put(record("2".repeat(32)));
        recent.put(record("3".repeat(32)));
        assertEquals(2, recent.size());
        assertTrue(recent.get("1".repeat(32)).isEmpty());
        assertTrue(recent.get("3".repeat(32)).isPresent());
    }

    @Test
    void expiredEntriesLeaveOnTheNextPut() {
        RecentRecords recent = new RecentRecords(10, 1_000, now::get);
        recent.put(record("1".repeat(32)));
        now.addAndGet(2_000);
        recent.put(record("2".repeat(32)));
        assertEquals(1, recent.size());
    }
}
