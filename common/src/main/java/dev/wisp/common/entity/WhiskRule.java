package dev.wisp.common.entity;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A rule as the API shows it and the store keeps it: when {@code trigger} fires, {@code action} runs. The
 * {@code status} shown is the one in the trigger's rules map, which is what a fire obeys.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WhiskRule(
        String namespace,
        String name,
        SemVer version,
        boolean publish,
        String status,
        EntityRef trigger,
        EntityRef action,
        List<KeyValue> annotations,
        long updated) {

    public WhiskRule {
        Fields.required("namespace, name, version, trigger, action", namespace, name, version, trigger, action);
        annotations = Fields.list(annotations);
    }

    /** The name a trigger's rules map knows this rule by, {@code ns/rule}. */
    public String qualifiedName() {
        return namespace + "/" + name;
    }

    public WhiskRule withStatus(String newStatus) {
        return new WhiskRule(namespace, name, version, publish, newStatus, trigger, action, annotations, updated);
    }
}
