package dev.wisp.common.message;

import dev.wisp.common.codec.Json;
import java.util.List;

/**
 * A completion topic's record: one {@link CompletionMessage} as a JSON object, or several that an invoker sent
 * together as a JSON array of such objects (see {@link dev.wisp.common.kafka.BatchingSender}). A reader takes both.
 */
public final class Completions {
    private Completions() {
    }

    /** The completions in one record, in the order they were sent. */
    public static List<CompletionMessage> decode(byte[] value) {
        for (byte b : value) {
            if (b == '[') {
                return List.of(Json.decode(value, CompletionMessage[].class));
            }
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                break;
            }
        }
        return List.of(Json.decode(value, CompletionMessage.class));
    }
}
