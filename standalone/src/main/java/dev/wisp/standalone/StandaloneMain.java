package dev.wisp.standalone;

import dev.wisp.common.config.ConfigException;
import dev.wisp.common.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** {@code ./wisp standalone}: runs Wisp in the foreground until interrupted. */
public final class StandaloneMain {
    private StandaloneMain() {
    }

    public static void main(String[] args) throws Exception {
        StandaloneConfig config;
        try {
            config = StandaloneConfig.from(Settings.load(args, System.getenv()));
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        long t0 = System.nanoTime();
        Standalone wisp = new Standalone(config, step -> System.out.println("wisp: " + step + " ..."));
        try {
            wisp.start();
        } catch (Exception e) {
            System.err.println("wisp: ERROR: could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        try {
            config.settings().refuseUnknownFlags(); // every component has read its settings by now
        } catch (ConfigException e) {
            System.err.println("wisp: ERROR: " + e.getMessage());
            wisp.close();
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("wisp: stopping ...");
            wisp.close();
            stopped.countDown();
        }));
        if (config.writeWskprops()) {
            writeWskprops(wisp.apiHost(), wisp.guestAuth());
        }
        System.out.printf("""
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
                """, (System.nanoTime() - t0) / 1e9, wisp.apiHost(), wisp.guestAuth(), config.dataDir(),
                wisp.guestAuth(), wisp.apiHost(), wisp.guestAuth(), wisp.apiHost());
        stopped.await();
    }

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
