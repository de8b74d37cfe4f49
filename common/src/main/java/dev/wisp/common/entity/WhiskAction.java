package dev.wisp.common.entity;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/** An action as the API shows it and the store keeps it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WhiskAction(
        String namespace,
        String name,
        SemVer version,
        boolean publish,
        Exec exec,
        List<KeyValue> annotations,
        List<KeyValue> parameters,
        ActionLimits limits,
        long updated) {

    public WhiskAction {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(exec, "exec");
        annotations = annotations == null ? List.of() : List.copyOf(annotations);
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
        limits = limits == null ? ActionLimits.DEFAULT : limits;
    }

    public WhiskAction withoutCode() {
        return new WhiskAction(namespace, name, version, publish, exec.withoutCode(), annotations, parameters,
                limits, updated);
    }
}
