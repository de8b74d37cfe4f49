package dev.wisp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Short human descriptions of entities ({@code get --summary}) and the annotation look-up they need. */
final class EntitySummary {
    private EntitySummary() {
    }

    static String annotation(JsonNode entity, String key) {
        for (JsonNode a : entity.path("annotations")) {
            if (key.equals(Json.text(a, "key"))) {
                return Json.text(a, "value");
            }
        }
        return "";
    }

    static void action(PrintStream out, JsonNode a) {
        JsonNode exec = a.path("exec");
        JsonNode limits = a.path("limits");
        out.println("action /" + Json.text(a, "namespace") + "/" + Json.text(a, "name") + " (version "
                + Json.text(a, "version") + ")");
        out.println("  kind:        " + Json.text(exec, "kind")
                + (exec.hasNonNull("image") ? " (image " + Json.text(exec, "image") + ")" : "")
                + (exec.hasNonNull("main") ? ", main " + Json.text(exec, "main") : ""));
        if (exec.has("components")) {
            out.println("  components:  " + String.join(", ", texts(exec.path("components"))));
        }
        out.println("  limits:      memory " + Json.text(limits, "memory") + " MB, timeout "
                + Json.text(limits, "timeout") + " ms, concurrency " + Json.text(limits, "concurrency")
                + ", logs " + Json.text(limits, "logs") + " MB");
        out.println("  parameters:  " + keys(a.path("parameters")));
        out.println("  web:         " + (annotation(a, "web-export").equals("true") ? "yes" : "no"));
    }

    static String keys(JsonNode keyValues) {
        List<String> keys = new ArrayList<>();
        keyValues.forEach(kv -> keys.add(Json.text(kv, "key")));
        return keys.isEmpty() ? "none" : String.join(", ", keys);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
