package dev.wisp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wisp.standalone.Standalone;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Runs the suite in {@code integration-tests/aio}, which drives Wisp only through Adobe's {@code aio} CLI and its
 * runtime plugin (pinned in its {@code package.json} and lock), against this JVM's Wisp, in a namespace of its own.
 * The CLI is large (some 650 MB of node modules), so it is installed once per lock file into
 * {@code $WISP_HOME/npm/aio-cli-<hash of the lock>} ({@link NpmInstall}). The suite's output is streamed into the
 * test log.
 */
class AioCliCompatIT {
    private static final Path SUITE = Path.of("aio").toAbsolutePath();

    @Test
    void adobesAioCliWorksUnmodified() throws Exception {
        Standalone wisp = WispFixture.get();
        Path cli = installedCli();
        String name = "aio-" + UUID.randomUUID().toString().substring(0, 8);
        String auth = Admin.newUser(name).auth();
        List<String> suite = List.of("node", "--test", "--test-concurrency=1", "--test-reporter=spec",
                "test/aio.test.js");
        int exit = run(suite, SUITE, List.of("AIO_RUNTIME_APIHOST=" + wisp.apiHost(), "AIO_RUNTIME_AUTH=" + auth,
                        "AIO_RUNTIME_NAMESPACE=" + name, "WISP_AIO_BIN=" + cli), 8);
        assertEquals(0, exit, "the aio CLI compatibility suite failed; its output is above");
    }

    /** The {@code aio} executable of the install for the current lock file, installed first if it is not there. */
    private static Path installedCli() throws Exception {
        return NpmInstall.installed(SUITE, "aio-cli", "node_modules/.bin/aio", List.of(), 10)
                .resolve("node_modules/.bin/aio");
    }

    private static int run(List<String> command, Path dir, List<String> env, int timeoutMinutes) throws Exception {
        return ChildProcess.run("aio", command, dir, env, timeoutMinutes);
    }
}
