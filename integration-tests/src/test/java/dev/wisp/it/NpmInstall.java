package dev.wisp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.stream.Stream;

/**
 * The npm packages a node suite needs, installed with {@code npm ci} once per lock file into
 * {@code $WISP_HOME/npm/<name>-<hash of the lock>} ({@code ~/.wisp} by default: outside the work tree, so CI's
 * fresh clones reuse it, and no network is needed once it is there). Installs of older lock files, and partial
 * installs left by runs that died over an hour ago, are removed.
 */
final class NpmInstall {
    private NpmInstall() {
    }

    /**
     * @param suite a folder with {@code package.json} and {@code package-lock.json}
     * @param name  the install's name under {@code $WISP_HOME/npm}
     * @param probe a file inside the install ({@code node_modules/...}) that exists only when it is complete
     * @return the install's folder (its {@code node_modules} inside)
     */
    static Path installed(Path suite, String name, String probe, List<String> env, int timeoutMinutes)
            throws Exception {
        Path lock = suite.resolve("package-lock.json");
        assertTrue(Files.exists(lock), "missing " + lock);
        String home = System.getenv().getOrDefault("WISP_HOME", System.getProperty("user.home") + "/.wisp");
        Path cache = Path.of(home, "npm");
        Path install = cache.resolve(name + "-" + sha256(lock).substring(0, 16));
        if (!Files.exists(install.resolve(probe))) {
            deleteTree(install); // a broken one: complete installs only ever appear by the move below
            Files.createDirectories(cache);
            Path partial = cache.resolve(install.getFileName() + ".partial-" + ProcessHandle.current().pid());
            deleteTree(partial);
            Files.createDirectories(partial);
            Files.copy(suite.resolve("package.json"), partial.resolve("package.json"));
            Files.copy(lock, partial.resolve("package-lock.json"));
            assertEquals(0, ChildProcess.run(name, List.of("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline"),
                    partial, env, timeoutMinutes), "npm ci failed in " + partial);
            try {
                Files.move(partial, install, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                deleteTree(partial); // another run installed the same lock meanwhile
            }
        }
        removeStale(cache, name, install);
        return install;
    }

    private static void removeStale(Path cache, String name, Path current) throws IOException {
        Instant anHourAgo = Instant.now().minus(Duration.ofHours(1));
        String prefix = java.util.regex.Pattern.quote(name);
        try (Stream<Path> all = Files.list(cache)) {
            for (Path p : all.toList()) {
                String file = p.getFileName().toString();
                boolean otherLock = file.matches(prefix + "-[0-9a-f]{16}") && !p.equals(current);
                boolean leftOver = file.matches(prefix + "-[0-9a-f]{16}\\.partial-\\d+")
                        && Files.getLastModifiedTime(p).toInstant().isBefore(anHourAgo);
                if (otherLock || leftOver) {
                    System.out.println("[" + name + "] removing " + p);
                    deleteTree(p);
                }
            }
        }
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    static void deleteTree(Path root) throws IOException {
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
}
