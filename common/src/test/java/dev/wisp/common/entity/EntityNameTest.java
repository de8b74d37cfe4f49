package dev.wisp.common.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.error.WispException;
import org.junit.jupiter.api.Test;

class EntityNameTest {
    @Test
    void acceptsOpenWhiskNames() {
        for (String ok : new String[] {"a", "hello", "my action", "a.b-c@d", "_x", "x".repeat(256)}) {
            assertTrue(EntityName.isValid(ok), ok);
        }
    }

    @Test
    void rejectsOthersWithAMessageNamingTheRule() {
        for (String bad : new String[] {"", " a", "-a", "a/b", "a\nb", "x".repeat(257), "a b ", "é"}) {
            assertFalse(EntityName.isValid(bad), bad);
        }
        WispException e = assertThrows(WispException.class, () -> EntityName.require("action", "x".repeat(300)));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("256"), e.getMessage());
    }
}
