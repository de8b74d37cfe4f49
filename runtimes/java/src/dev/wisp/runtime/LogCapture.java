package dev.wisp.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines one activation writes to stdout and stderr, up to a limit in bytes of text (each line plus its
 * newline). The first line over the limit and all after it are dropped, and one notice line ends the logs.
 * Thread-safe: an activation may write from several threads.
 */
final class LogCapture {
    static final String STDOUT = "stdout";
    static final String STDERR = "stderr";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** One captured line. */
    record Line(String time, String stream, String text) {
        String formatted() {
            return time + " " + stream + ": " + text;
        }
    }

    private final long limit;
    private final List<Line> lines = new ArrayList<>();
    private final ByteArrayOutputStream partialOut = new ByteArrayOutputStream();
    private final ByteArrayOutputStream partialErr = new ByteArrayOutputStream();
    private long bytes;
    private boolean truncated;
    private volatile boolean closed;

    LogCapture(long limit) {
        this.limit = limit;
    }

    static String now() {
        return TIME.format(java.time.Instant.now());
    }

    boolean isClosed() {
        return closed;
    }

    synchronized void write(String stream, byte[] b, int off, int len) {
        if (truncated || closed) {
            return;
        }
        ByteArrayOutputStream partial = STDOUT.equals(stream) ? partialOut : partialErr;
        int start = off;
        int end = off + len;
        for (int i = off; i < end && !truncated; i++) {
            if (b[i] == '\n') {
                partial.write(b, start, i - start);
                add(stream, partial);
                start = i + 1;
            }
        }
        if (truncated) {
            return;
        }
        partial.write(b, start, end - start);
        // a huge write without a newline must not grow the buffer past the limit
        if (partial.size() > limit - bytes) {
            add(stream, partial);
        }
    }

    private void add(String stream, ByteArrayOutputStream partial) {
        int size = partial.size();
        String text = size == 0 ? "" : partial.toString(StandardCharsets.UTF_8);
        partial.reset();
        add(stream, text, size);
    }

    private void add(String stream, String text, int size) {
        if (truncated) {
            return;
        }
        if (bytes + size + 1 > limit) {
            truncated = true;
            partialOut.reset();
            partialErr.reset();
            lines.add(new Line(now(), STDERR,
                    "Logs were truncated because the total bytes size exceeds the limit of " + limit + " bytes."));
            return;
        }
        bytes += size + 1;
        lines.add(new Line(now(), stream, text));
    }

    /** Adds whatever is left without a newline; later writes are ignored. */
    synchronized void close() {
        if (partialOut.size() > 0) {
            add(STDOUT, partialOut);
        }
        if (partialErr.size() > 0) {
            add(STDERR, partialErr);
        }
        closed = true;
    }

    synchronized List<Line> lines() {
        return List.copyOf(lines);
    }
}
