package dev.wisp.standalone;

import dev.wisp.common.launch.Launcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code ./wisp standalone}: runs Wisp in the foreground until interrupted. */
public final class StandaloneMain {
    /** Set by {@code ./wisp standalone} when this run records the JVMs' AOT caches, written as they exit. */
    static final String TRAINING = "wisp.aot.training";

    private StandaloneMain() {
    }

    public static void main(String[] args) throws Exception {
        // every component's keys are read and checked here, before anything starts
        StandaloneConfig config = Launcher.configure(args, StandaloneConfig::from);
        long t0 = System.nanoTime();
        Standalone wisp = new Standalone(config, step -> System.out.println("wisp: " + step + " ..."));
        try {
            wisp.start();
        } catch (Exception e) {
            System.err.println("wisp: ERROR: could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        // the heap that a sustained load grows goes back once it has grown by a lot (./wisp runs Serial without a
        // maximum heap of its own; Serial would rather expand than collect)
        IdleCollection.watch(IdleCollection.LOAD_GROWTH);
        Launcher.serveUntilStopped(() -> {
            if (config.writeWskprops()) {
                writeWskprops(wisp.apiHost(), wisp.guestAuth());
            }
            System.out.printf(READY, (System.nanoTime() - t0) / 1e9, wisp.apiHost(), wisp.guestAuth(),
                    config.dataDir(), wisp.guestAuth(), wisp.apiHost(), wisp.guestAuth(), wisp.apiHost());
        }, () -> {
            System.out.println(Boolean.getBoolean(TRAINING)
                    ? "wisp: stopping, and writing the caches the next start begins from (once after each build:"
                            + " some seconds) ..."
                    : "wisp: stopping ...");
            wisp.close();
        });
    }

    private static final String READY = """
            wisp: ready in %.1f s
            wisp:   API     %s/api/v1
            wisp:   guest   %s
            wisp:   data    %s
            wisp: try it:
              echo 'function main(p) { return {greeting: "Hello, " + (p.name || "world") + "!"}; }' > hello.js
              curl -u %s -X PUT -H 'Content-Type: application/json' \\
                '%s/api/v1/namespaces/_/actions/hello' \\
                -d "$(node -e 'console.log(JSON.stringify({exec:{kind:"nodejs:default",code:require("fs").readFileSync("hello.js","utf8")}}))')"
              curl -u %s -X POST '%s/api/v1/namespaces/_/actions/hello?blocking=true&result=true' \\
                -H 'Content-Type: application/json' -d '{"name":"Wisp"}'
            wisp: press Ctrl-C to stop
            """;

    /** Sets APIHOST and AUTH in ~/.wskprops, keeping its other lines, as OpenWhisk standalone does. */
    static void writeWskprops(String apiHost, String auth) throws IOException {
        Path file = Path.of(System.getProperty("user.home"), ".wskprops");
        List<String> lines = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.startsWith("APIHOST=") && !line.startsWith("AUTH=")) {
                    lines.add(line);
                }
            }
        }
        lines.add("APIHOST=" + apiHost);
        lines.add("AUTH=" + auth);
        Files.write(file, lines, StandardCharsets.UTF_8);
        System.out.println("wisp: wrote APIHOST and AUTH to " + file);
    }
}
