package dev.wisp.invoker.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Collects one activation's lines from Docker's timestamped container log, in OpenWhisk's format
 * ({@code "<ISO time> stdout: text"}): lines older than the activation are skipped, each stream ends at the
 * sentinel, and the total is capped with a notice.
 */
final class ContainerLogs extends ResultCallback.Adapter<Frame> {
    static final String SENTINEL = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX";

    private final Instant since;
    private final long maxBytes;
    private final List<String> lines = new ArrayList<>();
    private final Set<StreamType> ended = EnumSet.noneOf(StreamType.class);
    private long bytes;
    private boolean truncated;

    ContainerLogs(Instant since, long maxBytes) {
        this.since = since;
        this.maxBytes = maxBytes;
    }

    @Override
    public synchronized void onNext(Frame frame) {
        StreamType stream = frame.getStreamType();
        if (ended.contains(stream) || truncated) {
            return;
        }
        String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
        for (String raw : text.split("\n")) {
            int space = raw.indexOf(' ');
            if (space <= 0) {
                continue;
            }
            Instant at;
            try {
                at = Instant.parse(raw.substring(0, space));
            } catch (DateTimeParseException e) {
                continue;
            }
            String line = raw.substring(space + 1);
            if (at.isBefore(since)) {
                continue;
            }
            if (line.equals(SENTINEL)) {
                ended.add(stream);
                return;
            }
            String entry = at + " " + (stream == StreamType.STDERR ? "stderr" : "stdout") + ": " + line;
            bytes += entry.length();
            if (bytes > maxBytes) {
                truncated = true;
                lines.add(Instant.now() + " stderr: Logs were truncated because the total bytes size exceeds the"
                        + " limit of " + maxBytes + " bytes.");
                return;
            }
            lines.add(entry);
        }
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
