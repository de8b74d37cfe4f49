package dev.wisp.common.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * The id of one request through Wisp, from the edge gateway's {@code X-Request-ID} to the invoker's logs; the
 * {@code code} of every error body.
 */
public record TransactionId(String value) {
    public static final int MAX_LENGTH = 64;

    public TransactionId {
        Objects.requireNonNull(value, "value");
    }

    @JsonCreator
    public static TransactionId of(String value) {
        return new TransactionId(value);
    }

    /** Accepts a caller's request id only when it is short and printable; otherwise mints a new one. */
    public static TransactionId fromHeader(String header) {
        if (header != null && !header.isEmpty() && header.length() <= MAX_LENGTH && printable(header)) {
            return new TransactionId(header);
        }
        return generate();
    }

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 32 || c >= 127) {
                return false;
            }
        }
        return true;
    }

    /** A new id: a label for logs and error bodies, which grants nothing, so it need not be unpredictable. */
    public static TransactionId generate() {
        return new TransactionId(Hex128.fast());
    }

    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
