package dev.wisp.common.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** An activation id: 32 lowercase hex digits, as OpenWhisk prints them. */
public record ActivationId(String value) {
    public ActivationId {
        if (!Hex128.isHex128(value)) {
            throw new IllegalArgumentException("not an activation id: " + value);
        }
    }

    @JsonCreator
    public static ActivationId of(String value) {
        return new ActivationId(value);
    }

    public static boolean isValid(String value) {
        return Hex128.isHex128(value);
    }

    /** A new id, unpredictable from the ones a client has seen (as OpenWhisk's, 128 random bits). */
    public static ActivationId generate() {
        return new ActivationId(Hex128.secure());
    }

    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
