package dev.wisp.common.entity;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;

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

    /** The annotation that lets an action's container have an API key. */
    public static final String PROVIDE_API_KEY = "provide-api-key";
    /** The annotation that repeats the action's kind. */
    public static final String EXEC = "exec";

    public WhiskAction {
        Fields.required("namespace, name, version, exec", namespace, name, version, exec);
        annotations = Fields.list(annotations);
        parameters = Fields.list(parameters);
        limits = limits == null ? ActionLimits.DEFAULT : limits;
    }

    /**
     * Whether the action's container may have an API key ({@code __OW_API_KEY}): only with the annotation
     * {@code provide-api-key: true}. New actions get it {@code false} unless their creator sets it.
     */
    @JsonIgnore
    public boolean providesApiKey() {
        boolean provides = false;
        for (KeyValue a : annotations) {
            if (a.key().equals(PROVIDE_API_KEY)) {
                provides = a.value() != null && a.value().isBoolean() && a.value().booleanValue();
            }
        }
        return provides;
    }

    /**
     * The same action with the annotation {@code exec} set to its kind, as OpenWhisk keeps it (clients read an
     * action's kind from it in lists, which carry no {@code exec.kind}); an earlier value is replaced where it
     * stands, so that reading an action back changes nothing in it.
     */
    public WhiskAction withExecAnnotation() {
        KeyValue kind = new KeyValue(EXEC, TextNode.valueOf(exec.kind()));
        List<KeyValue> amended = new ArrayList<>();
        boolean found = false;
        for (KeyValue a : annotations) {
            if (!a.key().equals(EXEC)) {
                amended.add(a);
            } else if (!found) {
                amended.add(kind);
                found = true;
            }
        }
        if (!found) {
            amended.add(kind);
        }
        return new WhiskAction(namespace, name, version, publish, exec, amended, parameters, limits, updated);
    }

    public WhiskAction withoutCode() {
        return new WhiskAction(namespace, name, version, publish, exec.withoutCode(), annotations, parameters,
                limits, updated);
    }
}
