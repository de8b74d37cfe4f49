package dev.wisp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.standalone.Standalone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Runs the browser suite in {@code integration-tests/console}: the web console at {@code /console/} in Debian's
 * headless Chromium ({@code /usr/bin/chromium}, installed by {@code scripts/setup.sh}), driven by
 * {@code playwright-core} from npm (installed once per lock file by {@link NpmInstall}; it never downloads a
 * browser), against this JVM's Wisp, in a namespace of its own. The suite signs in (first with a wrong key), creates,
 * edits and invokes an action, reads its logs in the activation view, opens triggers, rules and packages and the
 * fleet page (with the fixture's admin token), and saves a screenshot of each step under
 * {@code target/console-screenshots/}.
 */
class ConsoleIT {
    private static final Path SUITE = Path.of("console").toAbsolutePath();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOTS = Path.of("target/console-screenshots").toAbsolutePath();

    @Test
    void aUserWorksThroughTheConsoleInARealBrowser() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM
                + ": scripts/setup.sh installs Debian's (apt-get install -y chromium)");
        Standalone wisp = WispFixture.get();
        Path install = NpmInstall.installed(SUITE, "console-playwright", "node_modules/playwright-core/package.json",
                List.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1"), 5);
        String auth = Admin.newUser("console-" + UUID.randomUUID().toString().substring(0, 8)).auth();
        NpmInstall.deleteTree(SCREENSHOTS);
        int exit = ChildProcess.run("console", List.of("node", "--test", "--test-reporter=spec",
                        "test/console.test.js"), SUITE,
                List.of("NODE_PATH=" + install.resolve("node_modules"), "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1",
                        "WISP_URL=" + wisp.apiHost(), "WISP_AUTH=" + auth,
                        "WISP_ADMIN_TOKEN=" + WispFixture.ADMIN_TOKEN, "WISP_SCREENSHOTS=" + SCREENSHOTS,
                        "WISP_CHROMIUM=" + CHROMIUM), 4);
        assertEquals(0, exit, "the console's browser suite failed; its output is above, its screenshots in "
                + SCREENSHOTS);
        for (String shot : List.of("01-bad-key", "04-invoked", "06-activation", "07-fleet")) {
            assertTrue(Files.size(SCREENSHOTS.resolve(shot + ".png")) > 10_000, shot + " is missing or blank");
        }
    }
}
