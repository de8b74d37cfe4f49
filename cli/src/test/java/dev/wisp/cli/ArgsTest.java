package dev.wisp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgsTest {
    private static Args parse(String... tokens) {
        return Args.parse("action create", List.of(tokens), ActionCommands.FLAGS);
    }

    @Test
    void flagsMayComeAnywhereWithOneOrTwoValuesLongOrShort() {
        Args a = parse("hello", "-p", "name", "Ada", "hello.js", "--memory=256", "-t", "100", "-p", "n", "-1", "--json");
        assertEquals(List.of("hello", "hello.js"), a.positionals());
        assertEquals(256, a.intValue("memory"));
        assertEquals(100, a.intValue("timeout"));
        assertEquals(List.of(List.of("name", "Ada"), List.of("n", "-1")), a.all("param"));
        assertTrue(a.has("json"));
    }

    @Test
    void aDoubleDashEndsTheFlags() {
        assertEquals(List.of("x", "--json"), parse("--", "x", "--json").positionals());
    }

    @Test
    void mistakesSayWhatIsWrong() {
        CliException unknown = assertThrows(CliException.class, () -> parse("x", "--memroy", "1"));
        assertEquals(CliException.USAGE, unknown.exitCode());
        assertTrue(unknown.getMessage().contains("unknown flag --memroy for 'action create'"), unknown.getMessage());
        assertTrue(assertThrows(CliException.class, () -> parse("x", "-p", "k")).getMessage()
                .contains("-p needs 2 values (KEY VALUE)"));
        assertTrue(assertThrows(CliException.class, () -> parse("x", "-m", "lots").intValue("memory")).getMessage()
                .contains("--memory must be a whole number, not 'lots'"));
    }

    @Test
    void listTakesDashLForLimitAsWskDoes() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int exit = WispCli.run(List.of("activation", "list", "-l", "5", "-s", "x"), System.out,
                new java.io.PrintStream(err), java.util.Map.of("__OW_API_HOST", "http://127.0.0.1:1", "__OW_API_KEY", "a:b",
                        "WSK_CONFIG_FILE", "/nonexistent"));
        assertEquals(CliException.USAGE, exit, "-s takes the skip count: " + err);
        assertTrue(err.toString().contains("--skip must be a whole number, not 'x'"), err.toString());
    }
}
