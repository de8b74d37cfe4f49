package dev.wisp.invoker.activation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.Activation;
import dev.wisp.common.entity.ActivationResponse;
import dev.wisp.common.entity.KeyValue;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.message.ActivationMessage;
import dev.wisp.invoker.runtime.RunResult;
import java.util.ArrayList;
import java.util.List;

/** Builds activation records from what happened, in OpenWhisk's shape and with its messages. */
final class ActivationRecords {
    static final String TIMEOUT = "The action exceeded its time limits of %d milliseconds.";
    static final String NO_ANSWER = "The action did not produce a valid response and exited unexpectedly.";
    static final String OOM = "The action exhausted its memory and was aborted.";
    /** Annotation values are built as nodes directly: one record an invoke, each a round through the codec before. */
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ActivationRecords() {
    }

    /** Classifies a {@code /run} answer: success, application error or developer error. */
    static ActivationResponse classify(RunResult r, int timeoutMs, int resultLimit) {
        if (r.timedOut()) {
            return ActivationResponse.developerError(String.format(TIMEOUT, timeoutMs));
        }
        if (!r.answered()) {
            return ActivationResponse.developerError(r.failure() == null ? NO_ANSWER : r.failure());
        }
        JsonNode body = r.body();
        if (r.rawSize() > resultLimit) {
            return ActivationResponse.developerError("The action produced a response that exceeded the allowed"
                    + " length: " + r.rawSize() + " > " + resultLimit + " bytes.");
        }
        if (r.status() == 200) {
            if (body == null || !body.isObject()) {
                return ActivationResponse.developerError("The action did not return a dictionary.");
            }
            return body.has("error") ? ActivationResponse.applicationError(body) : ActivationResponse.success(body);
        }
        if (body != null && body.isObject() && body.has("error")) {
            return ActivationResponse.developerError(body.get("error").isTextual() ? body.get("error").asText()
                    : Json.encodeToString(body.get("error")));
        }
        return ActivationResponse.developerError(NO_ANSWER);
    }

    /** A finished activation. {@code initTime} is negative for a warm start. */
    static Activation of(ActivationMessage msg, WhiskAction action, ActivationResponse response, long start,
                         long end, long initTime, boolean timedOut, List<String> logs) {
        List<KeyValue> annotations = new ArrayList<>();
        annotations.add(new KeyValue("path", NODES.textNode(msg.action().docId())));
        annotations.add(new KeyValue("kind", NODES.textNode(action.exec().kind())));
        annotations.add(new KeyValue("limits", Json.toTree(action.limits())));
        annotations.add(new KeyValue("waitTime", NODES.numberNode(Math.max(0, start - msg.arrivedAt()))));
        if (initTime >= 0) {
            annotations.add(new KeyValue("initTime", NODES.numberNode(initTime)));
        }
        annotations.add(new KeyValue("timeout", NODES.booleanNode(timedOut)));
        if (msg.causedBy() != null) {
            annotations.add(new KeyValue("causedBy", NODES.textNode(msg.causedBy())));
        }
        return new Activation(msg.user().namespace(), msg.action().name(), msg.user().subject(),
                msg.activationId().value(), action.version().toString(), action.publish(), start, end, end - start,
                response, logs, annotations, msg.cause());
    }

    /** The record of an activation that the system could not run. */
    static Activation systemError(ActivationMessage msg, String why) {
        long now = System.currentTimeMillis();
        List<KeyValue> annotations = new ArrayList<>(List.of(new KeyValue("path", NODES.textNode(msg.action().docId())),
                new KeyValue("waitTime", NODES.numberNode(Math.max(0, now - msg.arrivedAt())))));
        if (msg.causedBy() != null) {
            annotations.add(new KeyValue("causedBy", NODES.textNode(msg.causedBy())));
        }
        return new Activation(msg.user().namespace(), msg.action().name(), msg.user().subject(),
                msg.activationId().value(), msg.version() == null ? "0.0.1" : msg.version(), false, now, now, 0,
                ActivationResponse.systemError(why), List.of(), annotations, msg.cause());
    }

    /** The final record of a non-blocking activation given up after {@code attempts} tries. */
    static Activation deadLettered(Activation a, int attempts) {
        List<KeyValue> annotations = new ArrayList<>(a.annotations());
        annotations.add(new KeyValue("attempts", NODES.numberNode(attempts)));
        annotations.add(new KeyValue("deadLetter", NODES.booleanNode(true)));
        return new Activation(a.namespace(), a.name(), a.subject(), a.activationId(), a.version(), a.publish(),
                a.start(), a.end(), a.duration(), a.response(), a.logs(), annotations, a.cause());
    }

    /** Results kept in a trimmed record up to this size; a larger one is replaced by a system error. */
    static final int TRIMMED_RESULT_BYTES = 64 * 1024;

    /**
     * The record to store in place of one the store refused: the outcome when it is small, the logs replaced by
     * one line that says what happened, and the annotation {@code recordTrimmed}.
     */
    static Activation trimmed(Activation a, String refusal) {
        ActivationResponse response = Json.encode(a.response()).length <= TRIMMED_RESULT_BYTES ? a.response()
                : ActivationResponse.systemError("The activation's result was too large for the store.");
        int logBytes = a.logs().stream().mapToInt(String::length).sum();
        List<KeyValue> annotations = new ArrayList<>(a.annotations());
        annotations.add(new KeyValue(TRIMMED, NODES.booleanNode(true)));
        return new Activation(a.namespace(), a.name(), a.subject(), a.activationId(), a.version(), a.publish(),
                a.start(), a.end(), a.duration(), response,
                List.of("[wisp] The store refused this activation's record (" + firstLine(refusal) + "); its " + a.logs().size()
                        + " log lines (" + logBytes + " characters) were dropped."),
                annotations, a.cause());
    }

    /** The first line of a store's refusal, at most 200 characters (Ektorp appends the answer's body). */
    private static String firstLine(String refusal) {
        String line = refusal == null ? "" : refusal.lines().findFirst().orElse("").trim();
        line = line.endsWith("{") ? line.substring(0, line.length() - 1).trim() : line;
        return line.isEmpty() ? "no reason given" : line.length() > 200 ? line.substring(0, 200) : line;
    }

    /**
     * The last record tried when the store refused even the trimmed one: a system error without the result, the
     * logs or the annotations, which may be what the store refuses.
     */
    static Activation bare(Activation a, String refusal) {
        return new Activation(a.namespace(), a.name(), a.subject(), a.activationId(), a.version(), a.publish(),
                a.start(), a.end(), a.duration(), ActivationResponse.systemError("The store refused this"
                        + " activation's record even trimmed (" + firstLine(refusal) + "); its result and logs were"
                        + " dropped."),
                List.of(), List.of(new KeyValue(TRIMMED, NODES.booleanNode(true)),
                        new KeyValue(BARE, NODES.booleanNode(true))), a.cause());
    }

    static boolean isBare(Activation a) {
        return a.annotations().stream().anyMatch(kv -> kv.key().equals(BARE));
    }

    static boolean isTrimmed(Activation a) {
        return a.annotations().stream().anyMatch(kv -> kv.key().equals(TRIMMED));
    }

    private static final String TRIMMED = "recordTrimmed";
    private static final String BARE = "recordBare";
}
