package dev.wisp.common.entity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trigger as the API shows it and the store keeps it. {@code rules} maps the fully qualified name of each rule
 * on this trigger ({@code ns/rule}) to its action and status, as in OpenWhisk; a fire reads only this map.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WhiskTrigger(
        String namespace,
        String name,
        SemVer version,
        boolean publish,
        List<KeyValue> parameters,
        List<KeyValue> annotations,
        JsonNode limits,
        Map<String, TriggerRule> rules,
        long updated) {

    public WhiskTrigger {
        Fields.required("namespace, name, version", namespace, name, version);
        parameters = Fields.list(parameters);
        annotations = Fields.list(annotations);
        limits = limits == null ? JsonNodeFactory.instance.objectNode() : limits;
        rules = Fields.orderedMap(rules);
    }

    /** The same trigger with another rules map. */
    public WhiskTrigger withRules(Map<String, TriggerRule> newRules) {
        return new WhiskTrigger(namespace, name, version, publish, parameters, annotations, limits, newRules,
                updated);
    }

    /** The active rules only, by fully qualified rule name. */
    public Map<String, TriggerRule> activeRules() {
        Map<String, TriggerRule> active = new LinkedHashMap<>();
        rules.forEach((k, v) -> {
            if (v.active()) {
                active.put(k, v);
            }
        });
        return active;
    }
}
