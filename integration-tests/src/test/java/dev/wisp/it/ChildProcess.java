package dev.wisp.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command a suite drives (npm, node, a CLI), its output shown line by line under a label. */
final class ChildProcess {
    private ChildProcess() {
    }

    /**
     * @param env extra environment, {@code NAME=value} each
     * @return its exit code
     * @throws AssertionError when it did not finish within {@code timeoutMinutes}
     */
    static int run(String label, List<String> command, Path dir, List<String> env, int timeoutMinutes)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile())
                .redirectErrorStream(true);
        for (String e : env) {
            int eq = e.indexOf('=');
            pb.environment().put(e.substring(0, eq), e.substring(eq + 1));
        }
        Process p = pb.start();
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                r.lines().forEach(line -> System.out.println("[" + label + "] " + line));
            } catch (IOException e) {
                System.out.println("[" + label + "] output lost: " + e);
            }
        }, label + "-output");
        pump.start();
        if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            pump.join(5_000);
            throw new AssertionError(command + " did not finish within " + timeoutMinutes + " minutes");
        }
        pump.join(5_000);
        return p.exitValue();
    }
}
