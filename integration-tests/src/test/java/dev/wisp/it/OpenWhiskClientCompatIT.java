package dev.wisp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.standalone.Standalone;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Runs the Node.js compatibility suite in {@code integration-tests/compat}, which drives Wisp only through the
 * official {@code openwhisk} npm client, against this JVM's Wisp. The client is installed with {@code npm ci}
 * once and kept in {@code compat/node_modules}; the suite's output is streamed into the test log. A second
 * namespace's key ({@code WISP_COMPAT_OTHER_KEY}) lets it check references across namespaces.
 */
class OpenWhiskClientCompatIT {
    private static final Path COMPAT = Path.of("compat").toAbsolutePath();

    @Test
    void theOfficialClientWorksUnmodified() throws Exception {
        Standalone wisp = WispFixture.get();
        if (needsInstall()) {
            assertEquals(0, run(List.of("npm", "ci", "--no-audit", "--no-fund"), List.of(), 5),
                    "npm ci failed in " + COMPAT);
        }
        // a second namespace, for the references across namespaces (published packages, 403 otherwise)
        String other = Admin.newUser("compat-other-" + UUID.randomUUID().toString().substring(0, 8)).auth();
        int exit = run(List.of("node", "--test", "--test-concurrency=1", "--test-reporter=spec"),
                List.of("__OW_API_HOST=" + wisp.apiHost(), "__OW_API_KEY=" + wisp.guestAuth(),
                        "WISP_COMPAT_OTHER_KEY=" + other), 6);
        assertEquals(0, exit, "the openwhisk client compatibility suite failed; its output is above");
    }

    private static boolean needsInstall() throws IOException {
        Path installed = COMPAT.resolve("node_modules/.package-lock.json");
        Path lock = COMPAT.resolve("package-lock.json");
        assertTrue(Files.exists(lock), "missing " + lock);
        return !Files.exists(installed)
                || Files.getLastModifiedTime(lock).compareTo(Files.getLastModifiedTime(installed)) > 0;
    }

    private static int run(List<String> command, List<String> env, int timeoutMinutes) throws Exception {
        return ChildProcess.run("compat", command, COMPAT, env, timeoutMinutes);
    }
}
