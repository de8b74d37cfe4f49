package dev.wisp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code ./wisp trigger create|update|get|delete|list|fire}. */
final class TriggerCommands {
    static final String USAGE = """
            ./wisp trigger create|update NAME [-p KEY VALUE] [-P FILE] [-a KEY VALUE] [-A FILE]
            ./wisp trigger fire NAME [-p KEY VALUE] [-P FILE]
            ./wisp trigger get NAME [FIELD]
            ./wisp trigger delete NAME
            ./wisp trigger list [-l/--limit N] [-s/--skip N]
            """;
    static final List<Args.Flag> FLAGS = flags();

    private TriggerCommands() {
    }

    private static List<Args.Flag> flags() {
        List<Args.Flag> f = new ArrayList<>(Context.KEY_VALUE_FLAGS);
        f.add(new Args.Flag("limit", null, 1));
        f.add(new Args.Flag("skip", null, 1));
        return f;
    }

    static void run(String verb, Context c) {
        switch (verb) {
            case "create", "update" -> put(c, verb.equals("update"));
            case "fire" -> fire(c);
            case "get" -> Entities.get(c, "trigger", "triggers");
            case "delete" -> Entities.delete(c, "trigger", "triggers");
            case "list" -> Entities.list(c, "triggers", "TRIGGER", t -> new Object[]{
                    "/" + Json.text(t, "namespace") + "/" + Json.text(t, "name"), Json.text(t, "version"),
                    t.path("publish").asBoolean() ? "shared" : "private"}, "VERSION", "ACCESS");
            default -> throw CliException.usage("unknown command 'trigger " + verb + "'; usage:\n" + USAGE);
        }
    }

    private static void put(Context c, boolean update) {
        c.args.atMost(1, "./wisp trigger " + (update ? "update" : "create") + " NAME [flags]");
        EntityName name = c.name(c.args.positional(0, "the trigger's NAME"));
        ObjectNode body = Json.object();
        if (c.hasParams() || !update) {
            body.set("parameters", c.params());
        }
        if (c.hasAnnotations() || !update) {
            body.set("annotations", c.annotations());
        }
        JsonNode t = c.api().ok((update ? "update" : "create") + " trigger '" + name.display() + "'", "PUT",
                name.path("triggers"), Map.of("overwrite", String.valueOf(update)), body);
        c.done((update ? "updated" : "created") + " trigger " + name.display(), t);
    }

    private static void fire(Context c) {
        c.args.atMost(1, "./wisp trigger fire NAME [-p KEY VALUE]");
        EntityName name = c.name(c.args.positional(0, "the trigger's NAME"));
        Api.Response r = c.api().call("POST", name.path("triggers"), null, c.paramObject());
        if (!r.ok()) {
            throw Api.refused("fire trigger '" + name.display() + "'", r);
        }
        if (r.status() == 204 || r.body() == null) {
            c.done("triggered " + name.display() + ": no active rule, so no activation", Json.object());
            return;
        }
        c.done("triggered " + name.display() + " with id " + Json.text(r.body(), "activationId"), r.body());
    }
}
