package dev.wisp.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The external check of the benchmark's own client: {@code wrk} (Debian's package, installed by
 * {@code ./wisp bench}'s set-up) runs blocking invokes against the gateway with a small Lua script
 * ({@code wrk-invoke.lua}: POST, JSON body, HTTP Basic auth) at a given concurrency, as a second process.
 */
final class WrkCheck {
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern ERRORS = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    /** What one wrk run measured: requests a second, and the requests that did not answer 2xx or failed. */
    record Result(double perSecond, long errors, String output) {
    }

    private WrkCheck() {
    }

    /** Whether wrk is on the PATH. */
    static boolean available() {
        try {
            return new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start().waitFor() >= 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static Result run(String url, String authorization, int connections, Duration duration) throws Exception {
        Path script = Files.createTempFile("wisp-wrk-", ".lua");
        try (InputStream in = WrkCheck.class.getResourceAsStream("wrk-invoke.lua")) {
            Files.write(script, in.readAllBytes());
        }
        try {
            ProcessBuilder pb = new ProcessBuilder("wrk", "-t", String.valueOf(Math.min(2, connections)),
                    "-c", String.valueOf(connections), "-d", Math.max(1, duration.toSeconds()) + "s",
                    "--timeout", "30s", "-s", script.toString(), url).redirectErrorStream(true);
            pb.environment().put("WISP_AUTHORIZATION", authorization);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("wrk failed: " + out);
            }
            Matcher rate = RATE.matcher(out);
            if (!rate.find()) {
                throw new IOException("wrk printed no rate: " + out);
            }
            long errors = 0;
            Matcher non2xx = NON_2XX.matcher(out);
            if (non2xx.find()) {
                errors += Long.parseLong(non2xx.group(1));
            }
            Matcher socket = ERRORS.matcher(out);
            if (socket.find()) {
                for (int g = 1; g <= 4; g++) {
                    errors += Long.parseLong(socket.group(g));
                }
            }
            return new Result(Double.parseDouble(rate.group(1)), errors, out);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** The line that compares the two clients: wrk, and the bench's own client's mean of a run before and after. */
    static String compare(int concurrency, double wrk, double before, double after) {
        double own = (before + after) / 2;
        double ratio = wrk / own;
        return String.format(Locale.ROOT, "external check at concurrency %d: wrk %.1f/s, bench client %.1f/s "
                + "(%.1f before wrk, %.1f after), wrk/bench %.2f (%s within 20%%)", concurrency, wrk, own, before,
                after, ratio, Math.abs(ratio - 1) <= 0.2 ? "agree" : "do NOT agree");
    }
}
