package dev.wisp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** {@code ./wisp rule create|update|get|delete|list|enable|disable}. */
final class RuleCommands {
    static final String USAGE = """
            ./wisp rule create|update NAME TRIGGER ACTION
            ./wisp rule enable|disable NAME
            ./wisp rule get NAME [FIELD]
            ./wisp rule delete NAME
            ./wisp rule list [-l/--limit N] [-s/--skip N]
            """;
    static final List<Args.Flag> FLAGS = List.of(new Args.Flag("limit", null, 1), new Args.Flag("skip", null, 1));

    private RuleCommands() {
    }

    static void run(String verb, Context c) {
        switch (verb) {
            case "create", "update" -> put(c, verb.equals("update"));
            case "enable" -> status(c, "active", "enabled");
            case "disable" -> status(c, "inactive", "disabled");
            case "get" -> Entities.get(c, "rule", "rules");
            case "delete" -> Entities.delete(c, "rule", "rules");
            case "list" -> Entities.list(c, "rules", "RULE", r -> new Object[]{
                    "/" + Json.text(r, "namespace") + "/" + Json.text(r, "name"), Json.text(r, "status"),
                    entity(r.path("trigger")), entity(r.path("action"))}, "STATUS", "TRIGGER", "ACTION");
            default -> throw CliException.usage("unknown command 'rule " + verb + "'; usage:\n" + USAGE);
        }
    }

    /** A rule's trigger or action as the API gives it: {@code {path, name}} or a name. */
    private static String entity(JsonNode e) {
        return e.isObject() ? "/" + Json.text(e, "path") + "/" + Json.text(e, "name") : e.asText();
    }

    private static void put(Context c, boolean update) {
        c.args.atMost(3, "./wisp rule " + (update ? "update" : "create") + " NAME TRIGGER ACTION");
        EntityName name = c.name(c.args.positional(0, "the rule's NAME"));
        ObjectNode body = Json.object();
        body.put("trigger", c.name(c.args.positional(1, "the rule's TRIGGER")).full());
        body.put("action", c.name(c.args.positional(2, "the rule's ACTION")).full());
        JsonNode r = c.api().ok((update ? "update" : "create") + " rule '" + name.display() + "'", "PUT",
                name.path("rules"), Map.of("overwrite", String.valueOf(update)), body);
        c.done((update ? "updated" : "created") + " rule " + name.display(), r);
    }

    private static void status(Context c, String status, String done) {
        c.args.atMost(1, "./wisp rule enable|disable NAME");
        EntityName name = c.name(c.args.positional(0, "the rule's NAME"));
        ObjectNode body = Json.object().put("status", status);
        JsonNode r = c.api().ok("set rule '" + name.display() + "' " + status, "POST", name.path("rules"), null, body);
        c.done(done + " rule " + name.display(), r == null ? body : r);
    }
}
