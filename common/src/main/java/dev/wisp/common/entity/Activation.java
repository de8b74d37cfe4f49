package dev.wisp.common.entity;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * The final record of one activation, in OpenWhisk's shape. Its store id is {@link #activationId()}. A trigger's
 * activation has no {@code end} and no {@code duration} (null), as in OpenWhisk, where clients tell trigger
 * activations from action activations by that.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Activation(
        String namespace,
        String name,
        String subject,
        String activationId,
        String version,
        boolean publish,
        long start,
        Long end,
        Long duration,
        ActivationResponse response,
        List<String> logs,
        List<KeyValue> annotations,
        String cause) {

    public Activation {
        Fields.required("namespace, name, activationId, response", namespace, name, activationId, response);
        logs = Fields.list(logs);
        annotations = Fields.list(annotations);
    }

    /** An action's activation, which always has an end and a duration. */
    public Activation(String namespace, String name, String subject, String activationId, String version,
                      boolean publish, long start, long end, long duration, ActivationResponse response,
                      List<String> logs, List<KeyValue> annotations, String cause) {
        this(namespace, name, subject, activationId, version, publish, start, Long.valueOf(end),
                Long.valueOf(duration), response, logs, annotations, cause);
    }

    /** Whether this is a trigger's activation (no end, no duration). */
    @JsonIgnore
    public boolean isTrigger() {
        return end == null;
    }

    public Optional<JsonNode> annotation(String key) {
        return annotations.stream().filter(a -> a.key().equals(key)).map(KeyValue::value).findFirst();
    }
}
