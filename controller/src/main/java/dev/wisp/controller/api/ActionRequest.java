package dev.wisp.controller.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.config.Limits;
import dev.wisp.common.entity.ActionLimits;
import dev.wisp.common.entity.EntityName;
import dev.wisp.common.entity.Exec;
import dev.wisp.common.entity.KeyValue;
import dev.wisp.common.entity.Kinds;
import dev.wisp.common.entity.SemVer;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.error.WispException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Turns the body of {@code PUT .../actions/{name}} into an action, checking every field and limit with a
 * message a user can act on. Absent fields of an update keep their old values, as in OpenWhisk.
 */
final class ActionRequest {
    private final Limits limits;

    ActionRequest(Limits limits) {
        this.limits = limits;
    }

    WhiskAction toAction(String namespace, String name, ObjectNode body, WhiskAction existing) {
        Exec exec = body.has("exec") ? exec(body.get("exec")) : existing == null ? null : existing.exec();
        if (exec == null) {
            throw WispException.badRequest("The action is missing its 'exec' field.");
        }
        List<KeyValue> parameters = body.has("parameters") ? keyValues("parameters", body.get("parameters"))
                : existing == null ? List.of() : existing.parameters();
        List<KeyValue> annotations = body.has("annotations") ? keyValues("annotations", body.get("annotations"))
                : existing == null ? List.of() : existing.annotations();
        ActionLimits actionLimits = body.has("limits") ? limits(body.get("limits"),
                existing == null ? ActionLimits.DEFAULT : existing.limits())
                : existing == null ? ActionLimits.DEFAULT : existing.limits();
        boolean publish = body.has("publish") ? bool("publish", body.get("publish"))
                : existing != null && existing.publish();
        SemVer version = existing == null ? SemVer.INITIAL : existing.version().bump();
        return new WhiskAction(namespace, name, version, publish, exec, annotations, parameters, actionLimits,
                System.currentTimeMillis());
    }

    private Exec exec(JsonNode node) {
        if (!node.isObject()) {
            throw WispException.badRequest("The field 'exec' must be an object.");
        }
        String kind = text("exec.kind", node.get("kind"), true);
        if (Kinds.SEQUENCE.equals(kind)) {
            throw WispException.badRequest("The kind 'sequence' is not supported yet.");
        }
        if (!Kinds.isKnown(kind)) {
            throw WispException.badRequest("The kind '" + kind + "' is not supported; supported kinds: "
                    + String.join(", ", Kinds.known()) + ".");
        }
        String code = text("exec.code", node.get("code"), false);
        String image = text("exec.image", node.get("image"), false);
        String main = text("exec.main", node.get("main"), false);
        Boolean binary = node.has("binary") && !node.get("binary").isNull() ? bool("exec.binary", node.get("binary")) : null;
        if (Kinds.BLACKBOX.equals(kind)) {
            if ((image == null || image.isBlank()) && (code == null || code.isEmpty())) {
                throw WispException.badRequest("A 'blackbox' action needs 'exec.image' (a Docker image that speaks"
                        + " the action protocol) or 'exec.code' (an executable: a script starting with #! or a zip"
                        + " with 'exec').");
            }
        } else if (code == null || code.isEmpty()) {
            throw WispException.badRequest("The action of kind '" + kind + "' is missing 'exec.code'.");
        }
        if (code != null) {
            int size = code.getBytes(StandardCharsets.UTF_8).length;
            if (size > limits.codeBytes()) {
                throw WispException.tooLarge("The action code is " + size + " bytes, which exceeds the code limit of "
                        + limits.codeBytes() + " bytes.");
            }
        }
        if (main != null && (main.isEmpty() || main.length() > 256)) {
            throw WispException.badRequest("The field 'exec.main' must be 1 to 256 characters.");
        }
        return new Exec(kind, code, image, main, binary, null);
    }

    private List<KeyValue> keyValues(String field, JsonNode node) {
        if (node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw WispException.badRequest("The field '" + field + "' must be an array of {\"key\", \"value\"} objects.");
        }
        List<KeyValue> out = new ArrayList<>();
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            JsonNode kv = it.next();
            if (!kv.isObject() || !kv.path("key").isTextual() || kv.path("key").asText().isEmpty()) {
                throw WispException.badRequest("Each entry of '" + field + "' must be an object with a non-empty"
                        + " string 'key' and a 'value'.");
            }
            out.add(new KeyValue(kv.get("key").asText(), kv.has("value") ? kv.get("value") : null));
        }
        return out;
    }

    private ActionLimits limits(JsonNode node, ActionLimits base) {
        if (!node.isObject()) {
            throw WispException.badRequest("The field 'limits' must be an object.");
        }
        int timeout = limit(node, "timeout", base.timeout(), limits.timeoutMinMs(), limits.timeoutMaxMs(), "milliseconds");
        int memory = limit(node, "memory", base.memory(), limits.memoryMinMb(), limits.memoryMaxMb(), "MB");
        int logs = limit(node, "logs", base.logs(), 0, limits.logsMaxMb(), "MB");
        int concurrency = limit(node, "concurrency", base.concurrency(), 1, limits.concurrencyMax(), "activations");
        return new ActionLimits(timeout, memory, logs, concurrency);
    }

    private static int limit(JsonNode node, String field, int fallback, int min, int max, String unit) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw WispException.badRequest("The " + field + " limit must be an integer number of " + unit + ".");
        }
        int n = v.intValue();
        if (n < min || n > max) {
            throw WispException.badRequest("The " + field + " limit " + n + " " + unit + " is outside the allowed range "
                    + min + " to " + max + " " + unit + ".");
        }
        return n;
    }

    private static String text(String field, JsonNode v, boolean required) {
        if (v == null || v.isNull()) {
            if (required) {
                throw WispException.badRequest("The field '" + field + "' is required.");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw WispException.badRequest("The field '" + field + "' must be a string.");
        }
        return v.asText();
    }

    private static boolean bool(String field, JsonNode v) {
        if (!v.isBoolean()) {
            throw WispException.badRequest("The field '" + field + "' must be true or false.");
        }
        return v.booleanValue();
    }

    static String name(String name) {
        return EntityName.require("action", name);
    }
}
