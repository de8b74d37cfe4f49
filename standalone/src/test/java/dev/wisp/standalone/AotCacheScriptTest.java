package dev.wisp.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/aot-cache.sh}, which {@code ./wisp standalone} asks before it starts a JVM from an AOT cache: a cache
 * that kills the JVM mapping it is deleted instead of failing every start. The JVM is a stand-in script here (a
 * cache that crashes a real JVM cannot be made on purpose); it notes each call and dies of SIGABRT, as the JVM does
 * on a fatal error, when told to.
 */
class AotCacheScriptTest {
    private static final Path SCRIPT = Path.of("..", "scripts", "aot-cache.sh").toAbsolutePath().normalize();

    @Test
    void aCacheThatCrashesTheJvmIsDeletedAndNotUsed(@TempDir Path dir) throws Exception {
        Path cache = cache(dir);
        Result r = usable(cache, java(dir, true));
        assertEquals(1, r.exit, r.err);
        assertFalse(Files.exists(cache), "the cache that crashed the JVM is gone, to be recorded again");
        assertFalse(Files.exists(ok(cache)));
        assertTrue(r.err.contains("the start-up cache " + cache + " crashes the JVM that maps it: deleted"), r.err);
        assertFalse(r.err.contains("Aborted"), "the shell's own report of the crash stays out of the output: " + r.err);
        assertEquals(1, calls(dir));
    }

    @Test
    void aCacheThatMapsIsCheckedOnceAndThenTrusted(@TempDir Path dir) throws Exception {
        Path cache = cache(dir);
        Path java = java(dir, false);
        assertEquals(0, usable(cache, java).exit);
        assertTrue(Files.exists(ok(cache)));
        assertEquals(0, usable(cache, java).exit);
        assertTrue(Files.exists(cache));
        assertEquals(1, calls(dir), "the second start does not pay for the check");
        List<String> args = Files.readAllLines(dir.resolve("calls"));
        assertTrue(args.getFirst().contains("-XX:AOTCache=" + cache + " "), args.getFirst());
        assertTrue(args.getFirst().endsWith(" -cp /the/class/path -version"), args.getFirst());
    }

    @Test
    void aHalfWrittenOrMissingCacheIsNotUsedAndNotChecked(@TempDir Path dir) throws Exception {
        Path cache = cache(dir);
        Files.writeString(dir.resolve("wisp.aot.config"), "assembly under way");
        Path java = java(dir, true);
        assertEquals(1, usable(cache, java).exit);
        assertTrue(Files.exists(cache), "the JVM assembling it still writes it");
        assertEquals(1, usable(dir.resolve("none.aot"), java).exit);
        assertEquals(0, calls(dir));
    }

    private static Path cache(Path dir) throws IOException {
        return Files.writeString(dir.resolve("wisp.aot"), "an AOT cache");
    }

    private static Path ok(Path cache) {
        return cache.resolveSibling(cache.getFileName() + ".ok");
    }

    /** A stand-in for the JVM: appends its arguments to {@code calls}, then exits 0 or dies of SIGABRT. */
    private static Path java(Path dir, boolean crashes) throws IOException {
        Path java = dir.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$*\" >> '" + dir.resolve("calls") + "'\n"
                + (crashes ? "echo '# A fatal error has been detected by the Java Runtime Environment'\nkill -ABRT $$\n"
                        : "echo 'openjdk version \"25\"' >&2\n"));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        return java;
    }

    private static long calls(Path dir) throws IOException {
        Path calls = dir.resolve("calls");
        return Files.exists(calls) ? Files.readAllLines(calls).size() : 0;
    }

    private record Result(int exit, String err) {}

    private static Result usable(Path cache, Path java) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", ". \"$0\"; aot_cache_usable \"$1\" \"$2\" /the/class/path",
                SCRIPT.toString(), cache.toString(), java.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Result(p.exitValue(), err);
    }
}
