package dev.wisp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wisp.controller.admin.AdminMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the admin command in-process against the fixture's store, the way {@code ./wisp admin} runs it. */
final class Admin {
    record Result(int exit, String out, String err) {
    }

    private Admin() {
    }

    static Result run(String... args) {
        List<String> all = new ArrayList<>();
        all.add("--store.url=" + WispFixture.get().settings().string("store.url", null));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = AdminMain.run(all.toArray(String[]::new), Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8).trim(), err.toString(StandardCharsets.UTF_8).trim());
    }

    /** Creates a subject and returns a client with its new credentials. */
    static WispClient newUser(String name, String... limits) {
        Result created = run("user", "create", name);
        assertEquals(0, created.exit(), created.toString());
        if (limits.length > 0) {
            List<String> args = new ArrayList<>(List.of("limits", "set", name));
            args.addAll(List.of(limits));
            Result set = run(args.toArray(String[]::new));
            assertEquals(0, set.exit(), set.toString());
        }
        return WispFixture.client().withAuth(created.out());
    }
}
