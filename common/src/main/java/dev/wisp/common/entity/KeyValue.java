package dev.wisp.common.entity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** One parameter or annotation: OpenWhisk stores both as lists of {@code {"key", "value"}}. */
public record KeyValue(String key, JsonNode value) {
    public KeyValue {
        Objects.requireNonNull(key, "key");
    }
}
