package dev.wisp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.standalone.Standalone;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs the suite in {@code integration-tests/aio}, which drives Wisp only through Adobe's {@code aio} CLI and its
 * runtime plugin (pinned in its {@code package.json} and lock), against this JVM's Wisp, in a namespace of its own.
 * The CLI is large (some 650 MB of node modules), so it is installed with {@code npm ci} once per lock file into
 * {@code $WISP_HOME/npm/aio-cli-<hash of the lock>} (outside the work tree, so CI's fresh clones reuse it) and
 * older installs there are removed. The suite's output is streamed into the test log.
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
        Path lock = SUITE.resolve("package-lock.json");
        assertTrue(Files.exists(lock), "missing " + lock);
        String home = System.getenv().getOrDefault("WISP_HOME", System.getProperty("user.home") + "/.wisp");
        Path cache = Path.of(home, "npm");
        Path install = cache.resolve("aio-cli-" + sha256(lock).substring(0, 16));
        Path cli = install.resolve("node_modules/.bin/aio");
        if (!Files.isExecutable(cli)) {
            deleteTree(install); // a broken one: complete installs only ever appear by the move below
            Files.createDirectories(cache);
            Path partial = cache.resolve(install.getFileName() + ".partial-" + ProcessHandle.current().pid());
            deleteTree(partial);
            Files.createDirectories(partial);
            Files.copy(SUITE.resolve("package.json"), partial.resolve("package.json"));
            Files.copy(lock, partial.resolve("package-lock.json"));
            assertEquals(0, run(List.of("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline"), partial,
                    List.of(), 10), "npm ci of the aio CLI failed in " + partial);
            try {
                Files.move(partial, install, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                deleteTree(partial); // another run installed the same lock meanwhile
            }
        }
        removeStale(cache, install);
        return cli;
    }

    /** Installs of other lock files, and partial installs left by runs that died over an hour ago. */
    private static void removeStale(Path cache, Path current) throws IOException {
        Instant anHourAgo = Instant.now().minus(Duration.ofHours(1));
        try (Stream<Path> all = Files.list(cache)) {
            for (Path p : all.toList()) {
                String name = p.getFileName().toString();
                boolean otherLock = name.matches("aio-cli-[0-9a-f]{16}") && !p.equals(current);
                boolean leftOver = name.matches("aio-cli-[0-9a-f]{16}\\.partial-\\d+")
                        && Files.getLastModifiedTime(p).toInstant().isBefore(anHourAgo);
                if (otherLock || leftOver) {
                    System.out.println("[aio] removing " + p);
                    deleteTree(p);
                }
            }
        }
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static int run(List<String> command, Path dir, List<String> env, int timeoutMinutes) throws Exception {
        return ChildProcess.run("aio", command, dir, env, timeoutMinutes);
    }
}
