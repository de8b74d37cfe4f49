package dev.wisp.common.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.UUID;
import java.util.regex.Pattern;

/** An activation id: 32 lowercase hex digits, as OpenWhisk prints them. */
public record ActivationId(String value) {
    private static final Pattern FORM = Pattern.compile("[0-9a-f]{32}");

    public ActivationId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("not an activation id: " + value);
        }
    }

    @JsonCreator
    public static ActivationId of(String value) {
        return new ActivationId(value);
    }

    public static boolean isValid(String value) {
        return value != null && FORM.matcher(value).matches();
    }

    public static ActivationId generate() {
        return new ActivationId(UUID.randomUUID().toString().replace("-", ""));
    }

    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
