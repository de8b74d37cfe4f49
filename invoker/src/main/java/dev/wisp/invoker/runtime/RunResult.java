package dev.wisp.invoker.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a runtime answered to {@code /init} or {@code /run}.
 *
 * @param status    the HTTP status, or 0 when no answer came (see {@code timedOut} and {@code failure})
 * @param body      the JSON answer (the result on /run), or null when it was not JSON
 * @param rawSize   size of the answer in bytes
 * @param logs      the activation's log lines the runtime captured, empty for runtimes that do not
 * @param timedOut  the deadline passed before the answer
 * @param failure   why no answer came (connection refused, dropped), null otherwise
 * @param envelope  the runtime is one of Wisp's and returned the activation's logs itself
 */
public record RunResult(int status, JsonNode body, int rawSize, List<String> logs, boolean timedOut, String failure,
                        boolean envelope) {
    public RunResult {
        logs = logs == null ? List.of() : List.copyOf(logs);
    }

    public static RunResult timeout() {
        return new RunResult(0, null, 0, List.of(), true, null, false);
    }

    public static RunResult failed(String why) {
        return new RunResult(0, null, 0, List.of(), false, why, false);
    }

    /** The same answer with logs found elsewhere (e.g. in Docker's log of the container). */
    public RunResult withLogs(List<String> found) {
        return new RunResult(status, body, rawSize, found, timedOut, failure, envelope);
    }

    public boolean answered() {
        return status > 0;
    }
}
