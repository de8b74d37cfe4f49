package dev.wisp.controller.api.resource;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wisp.common.entity.KeyValue;
import dev.wisp.common.entity.WhiskAction;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads the annotations that change how an action is invoked ({@code final}, the web action ones). */
public final class ActionAnnotations {
    public static final String FINAL_VIOLATION =
            "Request defines parameters that are not allowed (e.g., reserved properties).";

    private ActionAnnotations() {
    }

    /** The annotation's value (the last one of that key), or null. */
    public static JsonNode get(WhiskAction action, String key) {
        JsonNode found = null;
        for (KeyValue kv : action.annotations()) {
            if (kv.key().equals(key)) {
                found = kv.value();
            }
        }
        return found;
    }

    /** Whether the annotation is the JSON value {@code true}, as OpenWhisk reads its boolean annotations. */
    public static boolean isTrue(WhiskAction action, String key) {
        JsonNode v = get(action, key);
        return v != null && v.isBoolean() && v.booleanValue();
    }

    /** With {@code final: true}, the bound parameters that have a value: a request may not set them. */
    public static Set<String> finalParameters(WhiskAction action) {
        if (!isTrue(action, "final")) {
            return Set.of();
        }
        return action.parameters().stream().filter(p -> p.value() != null && !p.value().isNull())
                .map(KeyValue::key).collect(Collectors.toSet());
    }
}
