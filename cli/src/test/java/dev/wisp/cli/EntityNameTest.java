package dev.wisp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EntityNameTest {
    @Test
    void namesAsWskTakesThem() {
        assertEquals("/namespaces/_/actions/hello", EntityName.parse("hello", "_").path("actions"));
        assertEquals("/namespaces/_/actions/pkg/hello", EntityName.parse("pkg/hello", "_").path("actions"));
        assertEquals("/namespaces/other/actions/hello", EntityName.parse("/other/hello", "_").path("actions"));
        assertEquals("/namespaces/other/actions/p/h", EntityName.parse("/other/p/h", "mine").path("actions"));
        assertEquals("/namespaces/mine/triggers/a%20b", EntityName.parse("a b", "mine").path("triggers"));
        assertEquals("pkg/hello", EntityName.parse("pkg/hello", "_").display());
        assertEquals("/_/pkg/hello", EntityName.parse("pkg/hello", "_").full());
    }

    @Test
    void malformedNamesAreUsageErrors() {
        for (String bad : new String[]{"/ns", "a//b", "a/b/c", "/ns/a/b/c", ""}) {
            assertEquals(CliException.USAGE, assertThrows(CliException.class, () -> EntityName.parse(bad, "_"))
                    .exitCode(), bad);
        }
    }

    @Test
    void sinceTakesEpochMillisOrAnAge() {
        assertEquals("1700000000000", ActivationCommands.when("1700000000000", "--since"));
        long tenMinutesAgo = Long.parseLong(ActivationCommands.when("10m", "--since"));
        long expected = System.currentTimeMillis() - 600_000;
        assertEquals(expected, tenMinutesAgo, 5_000);
        assertThrows(CliException.class, () -> ActivationCommands.when("yesterday", "--since"));
    }
}
