package dev.wisp.controller.entity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.KeyValue;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.controller.store.EntityStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An action found through the path a caller named: its own path (inside the bound package for a binding), the
 * stored action, and the parameters it inherits from its package and binding, in OpenWhisk's precedence
 * package &lt; binding &lt; action &lt; invoke.
 *
 * @param inherited the package's parameters overridden by the binding's, before the action's own
 */
public record ResolvedAction(EntityPath path, EntityStore.Stored stored, List<KeyValue> inherited) {
    public ResolvedAction {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(stored, "stored");
        inherited = List.copyOf(inherited);
    }

    public WhiskAction action() {
        return stored.action();
    }

    /** Every bound parameter: the inherited ones overridden by the action's own. */
    public List<KeyValue> boundParameters() {
        Map<String, KeyValue> merged = new LinkedHashMap<>();
        inherited.forEach(kv -> merged.put(kv.key(), kv));
        action().parameters().forEach(kv -> merged.put(kv.key(), kv));
        return List.copyOf(merged.values());
    }

    /** The parameters of an invocation: the bound ones overridden by the caller's. */
    public ObjectNode parameters(ObjectNode invokeParams) {
        ObjectNode content = Json.object();
        boundParameters().forEach(kv -> content.set(kv.key(), kv.value()));
        content.setAll(invokeParams);
        return content;
    }

    /** The action as a read through this path shows it: with every bound parameter. */
    public WhiskAction withBoundParameters() {
        WhiskAction a = action();
        return new WhiskAction(a.namespace(), a.name(), a.version(), a.publish(), a.exec(), a.annotations(),
                boundParameters(), a.limits(), a.updated());
    }
}
