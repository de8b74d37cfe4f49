package dev.wisp.controller.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
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
import dev.wisp.controller.activation.Sequences;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns the body of {@code PUT .../actions/{name}} into an action, checking every field and limit with a
 * message a user can act on. Absent fields of an update keep their old values, as in OpenWhisk.
 */
public final class ActionRequest {
    private final Limits limits;

    public ActionRequest(Limits limits) {
        this.limits = limits;
    }

    public WhiskAction toAction(String namespace, String name, ObjectNode body, WhiskAction existing) {
        Exec exec = body.hasNonNull("exec") ? exec(body.get("exec")) : existing == null ? null : existing.exec();
        if (exec == null) {
            throw WispException.badRequest("The action is missing its 'exec' field.");
        }
        List<KeyValue> parameters = EntityFields.parameters(body, existing == null ? List.of() : existing.parameters());
        List<KeyValue> annotations = EntityFields.annotations(body,
                existing == null ? List.of() : existing.annotations(), true);
        if (existing == null && annotations.stream().noneMatch(a -> a.key().equals(WhiskAction.PROVIDE_API_KEY))) {
            // OpenWhisk's rule for new actions: no API key in the container unless the creator asks for it
            annotations = Stream.concat(annotations.stream(),
                    Stream.of(new KeyValue(WhiskAction.PROVIDE_API_KEY, BooleanNode.FALSE))).toList();
        }
        EntityFields.checkBoundSize(parameters, annotations, limits);
        ActionLimits base = existing == null ? ActionLimits.DEFAULT : existing.limits();
        ActionLimits actionLimits = body.hasNonNull("limits") ? limits(body.get("limits"), base) : base;
        boolean publish = EntityFields.publish(body, existing != null && existing.publish());
        SemVer version = EntityFields.version(body, existing == null ? null : existing.version());
        // OpenWhisk's rule for every write: the annotation 'exec' repeats the (concrete) kind
        return new WhiskAction(namespace, name, version, publish, exec, annotations, parameters, actionLimits,
                System.currentTimeMillis()).withExecAnnotation();
    }

    private Exec exec(JsonNode node) {
        if (!node.isObject()) {
            throw WispException.badRequest("The field 'exec' must be an object.");
        }
        String kind = EntityFields.text("exec.kind", node.get("kind"), true);
        if (Kinds.SEQUENCE.equals(kind)) {
            return new Exec(kind, null, null, null, null, components(node.get("components")));
        }
        if (!Kinds.isKnown(kind)) {
            throw WispException.badRequest("The kind '" + kind + "' is not supported; supported kinds: "
                    + String.join(", ", Kinds.known()) + ".");
        }
        String code = EntityFields.text("exec.code", node.get("code"), false);
        if (Kinds.BLACKBOX.equals(kind) && code != null && code.isBlank()) {
            code = null; // as in OpenWhisk, a blackbox action's blank code is no code: the image runs alone
        }
        String image = EntityFields.text("exec.image", node.get("image"), false);
        String main = EntityFields.text("exec.main", node.get("main"), false);
        boolean binaryAsked = node.hasNonNull("binary") && EntityFields.bool("exec.binary", node.get("binary"));
        if (Kinds.BLACKBOX.equals(kind)) {
            if ((image == null || image.isBlank()) && (code == null || code.isEmpty())) {
                throw WispException.badRequest("A 'blackbox' action needs 'exec.image' (a Docker image that speaks"
                        + " the action protocol) or 'exec.code' (an executable: a script starting with #! or a zip"
                        + " with 'exec').");
            }
        } else if (code == null) {
            // OpenWhisk needs the field but accepts an empty string (an action that fails at init or run)
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
        boolean binary = code != null && BinaryCode.isZip(code);
        if (binaryAsked && code != null && !binary && !BinaryCode.isBase64(code)) {
            throw WispException.badRequest("The field 'exec.binary' is true but 'exec.code' is not base64.");
        }
        return new Exec(kind, code, image, main, binary || (binaryAsked && code != null) ? Boolean.TRUE : null, null);
    }

    /**
     * The components of a sequence as written: 1 to {@link Sequences#MAX_LENGTH} fully qualified action names
     * ({@code /namespace/action} or {@code /namespace/package/action}, {@code _} for the caller's namespace).
     */
    private static List<String> components(JsonNode node) {
        if (node == null || !node.isArray()) {
            throw WispException.badRequest("A 'sequence' action needs 'exec.components', an array of fully qualified"
                    + " action names such as \"/_/package/action\".");
        }
        if (node.isEmpty()) {
            throw WispException.badRequest("A sequence must have at least one component.");
        }
        if (node.size() > Sequences.MAX_LENGTH) {
            throw WispException.badRequest("The sequence has " + node.size() + " components, which exceeds the"
                    + " sequence length limit of " + Sequences.MAX_LENGTH + " actions.");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode c : node) {
            String name = c.isTextual() ? c.asText() : null;
            String[] parts = name == null || !name.startsWith("/") ? new String[0] : name.substring(1).split("/", -1);
            if (parts.length < 2 || parts.length > 3) {
                throw WispException.badRequest("The sequence component " + (name == null ? c.toString() : "'"
                        + ApiContext.shorten(name) + "'") + " is not a fully qualified action name such as"
                        + " \"/_/package/action\" or \"/namespace/action\".");
            }
            if (!parts[0].equals("_")) {
                EntityName.require("namespace", parts[0]);
            }
            for (int i = 1; i < parts.length; i++) {
                EntityName.require(i == parts.length - 1 ? "action" : "package", parts[i]);
            }
            out.add(name);
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

    static String name(String name) {
        return EntityName.require("action", name);
    }
}
