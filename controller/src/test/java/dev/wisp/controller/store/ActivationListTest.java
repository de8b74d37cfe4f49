package dev.wisp.controller.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.Activation;
import dev.wisp.common.entity.ActivationResponse;
import dev.wisp.common.entity.KeyValue;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A list's first page with the records that came back on completions before the store has them. */
class ActivationListTest {
    private static Activation record(String id, String namespace, String name, String path, long start) {
        List<KeyValue> annotations = path == null ? List.of()
                : List.of(new KeyValue("path", Json.mapper().valueToTree(path)));
        return new Activation(namespace, name, namespace, id, "0.0.1", false, start, start + 1, 1,
                ActivationResponse.success(Json.object()), List.of(), annotations, null);
    }

    private static List<String> ids(List<Activation> list) {
        return list.stream().map(Activation::activationId).toList();
    }

    @Test
    void theFirstPageHoldsWhatTheStoreHasNotWrittenYetNewestFirst() {
        List<Activation> stored = List.of(record("c", "guest", "hello", null, 30),
                record("a", "guest", "hello", null, 10));
        List<Activation> recent = List.of(record("b", "guest", "hello", null, 20),
                record("d", "guest", "hello", null, 40), record("c", "guest", "hello", null, 30));
        assertEquals(List.of("d", "c", "b"), ids(ActivationStore.withRecent(stored, recent, 3)));
        assertEquals(List.of("d", "c", "b", "a"), ids(ActivationStore.withRecent(stored, recent, 30)));
        assertEquals(List.of("c", "a"), ids(ActivationStore.withRecent(stored, List.of(recent.get(2)), 30)),
                "a recent record the store has is listed once");
    }

    @Test
    void aQueryTakesTheRecordsItsViewWould() {
        var all = new ActivationStore.Query("guest", null, 0, Long.MAX_VALUE);
        var hello = new ActivationStore.Query("guest", "hello", 0, Long.MAX_VALUE);
        var inPackage = new ActivationStore.Query("guest", "utils/hello", 0, Long.MAX_VALUE);
        var window = new ActivationStore.Query("guest", null, 15, 25);
        Activation plain = record("a", "guest", "hello", "guest/hello", 20);
        Activation packaged = record("b", "guest", "hello", "guest/utils/hello", 20);
        Activation otherTenant = record("c", "mallory", "hello", "mallory/hello", 20);
        assertTrue(all.matches(plain) && all.matches(packaged));
        assertFalse(all.matches(otherTenant), "another namespace's record is never listed");
        assertTrue(hello.matches(plain));
        assertFalse(hello.matches(packaged));
        assertTrue(inPackage.matches(packaged));
        assertTrue(window.matches(plain));
        assertFalse(window.matches(record("d", "guest", "hello", null, 26)));
        assertFalse(window.matches(record("e", "guest", "hello", null, 14)));
        assertTrue(hello.matches(record("f", "guest", "hello", null, 1)), "no path: its name");
    }

    @Test
    void recentRecordsAreFoundByWhatTheyHold() {
        AtomicLong now = new AtomicLong(1_000);
        RecentRecords recent = new RecentRecords(10, 60_000, now::get);
        recent.put(record("a", "guest", "hello", null, 1));
        recent.put(record("b", "mallory", "hello", null, 1));
        assertEquals(List.of("a"), ids(recent.matching(a -> a.namespace().equals("guest"))));
        now.addAndGet(60_001);
        assertEquals(List.of(), recent.matching(a -> true), "none past their time to live");
    }
}
