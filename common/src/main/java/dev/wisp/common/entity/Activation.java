package dev.wisp.common.entity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The final record of one activation, in OpenWhisk's shape. Its store id is {@link #activationId()}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Activation(
        String namespace,
        String name,
        String subject,
        String activationId,
        String version,
        boolean publish,
        long start,
        long end,
        long duration,
        ActivationResponse response,
        List<String> logs,
        List<KeyValue> annotations,
        String cause) {

    public Activation {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(activationId, "activationId");
        Objects.requireNonNull(response, "response");
        logs = logs == null ? List.of() : List.copyOf(logs);
        annotations = annotations == null ? List.of() : List.copyOf(annotations);
    }

    public Optional<JsonNode> annotation(String key) {
        return annotations.stream().filter(a -> a.key().equals(key)).map(KeyValue::value).findFirst();
    }

    /** The same record with no logs and no result, as activation listings show it. */
    public Activation summary() {
        ActivationResponse r = new ActivationResponse(response.status(), response.statusCode(), response.success(),
                null, response.size());
        return new Activation(namespace, name, subject, activationId, version, publish, start, end, duration, r,
                List.of(), annotations, cause);
    }
}
