package dev.wisp.common.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wisp.common.codec.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubjectTest {
    private static final Subject.NamespaceKey KEY = new Subject.NamespaceKey("ns", "uuid", "hash");

    @Test
    void subjectWithoutLimitsReadsAsBeforeAndWritesNoLimitsField() {
        Subject plain = new Subject("alice", List.of(KEY), false);
        String json = Json.encodeToString(plain);
        assertFalse(json.contains("limits"), json);
        Subject old = Json.decode("{\"subject\":\"alice\",\"namespaces\":[{\"name\":\"ns\",\"uuid\":\"uuid\",\"keyHash\":\"hash\"}],\"blocked\":false}"
                .getBytes(StandardCharsets.UTF_8), Subject.class);
        assertEquals(plain, old);
        assertNull(old.limits());
        assertEquals(NamespaceLimits.NONE, old.limitsOrNone());
    }

    @Test
    void limitsRoundTripAndMergeOverDefaults() {
        Subject s = new Subject("bob", List.of(KEY), false, new NamespaceLimits(5, null, null));
        Subject back = Json.decode(Json.encode(s), Subject.class);
        assertEquals(s, back);
        NamespaceLimits effective = back.limits().orElse(new NamespaceLimits(60, 30, 60));
        assertEquals(new NamespaceLimits(5, 30, 60), effective);
    }

    @Test
    void nonPositiveLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new NamespaceLimits(0, null, null));
        assertThrows(IllegalArgumentException.class, () -> new NamespaceLimits(null, -1, null));
    }
}
