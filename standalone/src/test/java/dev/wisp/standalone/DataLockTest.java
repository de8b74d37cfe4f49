package dev.wisp.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataLockTest {
    @Test
    void aSecondStandaloneOnTheSameDirectoryIsToldWhoHoldsIt(@TempDir Path data) throws Exception {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Holder.class.getName(), data.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertEquals("locked", out.readLine(), "the other process took the lock");
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> DataLock.acquire(data));
            assertTrue(refused.getMessage().contains("another Wisp standalone (pid " + holder.pid() + ")"),
                    refused.getMessage());
            assertTrue(refused.getMessage().contains(data.toString()), refused.getMessage());
        } finally {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
        // the lock went with the process, killed as it was
        DataLock.acquire(data).close();
    }

    @Test
    void oneProcessCannotTakeItTwiceAndGetsItBackOnceReleased(@TempDir Path data) throws Exception {
        DataLock first = DataLock.acquire(data);
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> DataLock.acquire(data));
        assertTrue(refused.getMessage().contains("(pid " + ProcessHandle.current().pid() + ")"), refused.getMessage());
        first.close();
        DataLock.acquire(data).close();
    }

    /** Holds the lock of the directory in its arguments until killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            DataLock lock = DataLock.acquire(Path.of(args[0]));
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(120_000);
            lock.close();
        }
    }
}
