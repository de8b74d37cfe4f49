package dev.wisp.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.config.Setting;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsTableTest {
    @Test
    void theReadmeHoldsTheTableOfTheDefinitions() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        assertEquals(SettingsTable.markdown(), SettingsTable.tableIn(readme),
                "README.md's settings table is not the definitions'; run ./wisp settings --write");
    }

    @Test
    void everyKeyIsDefinedOnceWithADoc() {
        Set<String> keys = new HashSet<>();
        for (var component : SettingsTable.components()) {
            assertFalse(component.settings().isEmpty(), component.component());
            for (Setting<?> s : component.settings()) {
                assertTrue(keys.add(s.key()), "defined twice: " + s.key());
                assertFalse(s.doc().isBlank(), "no doc: " + s.key());
            }
        }
        assertTrue(keys.contains("controller.idempotency.ttl") && keys.contains("gateway.rate.per.key"), keys::toString);
    }

    @Test
    void theTableShowsDefaultsAsTheyAreWritten() {
        String table = SettingsTable.markdown();
        assertTrue(table.contains("| `controller.idempotency.ttl` | `24h` |"), table);
        assertTrue(table.contains("| `kafka.bootstrap` | required |"), table);
    }
}
