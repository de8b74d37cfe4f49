package dev.wisp.common.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.UUID;

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
        if (header != null && !header.isEmpty() && header.length() <= MAX_LENGTH
                && header.chars().allMatch(c -> c > 32 && c < 127)) {
            return new TransactionId(header);
        }
        return generate();
    }

    public static TransactionId generate() {
        return new TransactionId(UUID.randomUUID().toString().replace("-", ""));
    }

    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
