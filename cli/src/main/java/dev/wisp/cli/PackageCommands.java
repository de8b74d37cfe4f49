package dev.wisp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code ./wisp package create|update|get|delete|list|bind}. */
final class PackageCommands {
    static final String USAGE = """
            ./wisp package create|update NAME [-p KEY VALUE] [-P FILE] [-a KEY VALUE] [--shared yes|no]
            ./wisp package bind PACKAGE NAME [-p KEY VALUE]     a binding NAME of PACKAGE (/ns/pkg or pkg)
            ./wisp package get NAME [FIELD] [-s/--summary]
            ./wisp package delete NAME
            ./wisp package list [NAMESPACE] [-l/--limit N] [-s/--skip N]
            """;
    static final List<Args.Flag> FLAGS = flags();

    private PackageCommands() {
    }

    private static List<Args.Flag> flags() {
        List<Args.Flag> f = new ArrayList<>(Context.KEY_VALUE_FLAGS);
        f.addAll(List.of(new Args.Flag("shared", null, 1), new Args.Flag("summary", "s", 0),
                new Args.Flag("limit", null, 1), new Args.Flag("skip", null, 1)));
        return f;
    }

    static void run(String verb, Context c) {
        switch (verb) {
            case "create", "update" -> put(c, verb.equals("update"));
            case "bind" -> bind(c);
            case "get" -> get(c);
            case "delete" -> Entities.delete(c, "package", "packages");
            case "list" -> list(c);
            default -> throw CliException.usage("unknown command 'package " + verb + "'; usage:\n" + USAGE);
        }
    }

    private static void put(Context c, boolean update) {
        c.args.atMost(1, "./wisp package " + (update ? "update" : "create") + " NAME [flags]");
        EntityName name = packageName(c, c.args.positional(0, "the package's NAME"));
        ObjectNode body = Json.object();
        if (c.hasParams() || !update) {
            body.set("parameters", c.params());
        }
        if (c.hasAnnotations() || !update) {
            body.set("annotations", c.annotations());
        }
        String shared = c.args.value("shared");
        if (shared != null) {
            body.put("publish", switch (shared.toLowerCase()) {
                case "yes", "true" -> true;
                case "no", "false" -> false;
                default -> throw CliException.usage("--shared takes yes or no, not '" + shared + "'");
            });
        }
        JsonNode p = c.api().ok((update ? "update" : "create") + " package '" + name.display() + "'", "PUT",
                name.path("packages"), Map.of("overwrite", String.valueOf(update)), body);
        c.done((update ? "updated" : "created") + " package " + name.display(), p);
    }

    private static void bind(Context c) {
        c.args.atMost(2, "./wisp package bind PACKAGE NAME");
        EntityName target = packageName(c, c.args.positional(0, "the PACKAGE to bind"));
        EntityName name = packageName(c, c.args.positional(1, "the binding's NAME"));
        ObjectNode body = Json.object();
        body.putObject("binding").put("namespace", c.namespaceName(target)).put("name", target.name());
        body.set("parameters", c.params());
        body.set("annotations", c.annotations());
        JsonNode p = c.api().ok("bind package '" + name.display() + "' to '" + target.display() + "'", "PUT",
                name.path("packages"), Map.of("overwrite", "false"), body);
        c.done("created binding " + name.display() + " of " + target.display(), p);
    }

    private static void get(Context c) {
        if (!c.args.has("summary") || c.json()) {
            Entities.get(c, "package", "packages");
            return;
        }
        EntityName name = packageName(c, c.args.positional(0, "the package's NAME"));
        JsonNode p = c.api().ok("get package '" + name.display() + "'", "GET", name.path("packages"), null, null);
        c.out.println("package " + name.display() + (p.path("publish").asBoolean() ? " (shared)" : " (private)"));
        if (p.path("binding").isObject() && p.path("binding").has("name")) {
            c.out.println("  binding of:  /" + Json.text(p.path("binding"), "namespace") + "/"
                    + Json.text(p.path("binding"), "name"));
        }
        c.out.println("  parameters:  " + EntitySummary.keys(p.path("parameters")));
        for (JsonNode a : p.path("actions")) {
            c.out.println("  action " + name.display() + "/" + Json.text(a, "name"));
        }
    }

    private static void list(Context c) {
        c.args.atMost(1, "./wisp package list [NAMESPACE]");
        String ns = c.args.optionalPositional(0);
        ns = ns == null ? c.props().namespace() : ns.replaceAll("^/|/$", "");
        String path = "/namespaces/" + EntityName.enc(ns) + "/packages";
        JsonNode list = c.api().ok("list packages", "GET", path, ActionCommands.page(c), null);
        Entities.print(c, list, "PACKAGE", p -> new Object[]{
                "/" + Json.text(p, "namespace") + "/" + Json.text(p, "name"),
                p.path("binding").isObject() && p.path("binding").has("name") ? "binding" : "package",
                p.path("publish").asBoolean() ? "shared" : "private"}, "TYPE", "ACCESS");
    }

    /** A package's name: {@code name} or {@code /ns/name} (packages do not nest). */
    private static EntityName packageName(Context c, String text) {
        EntityName n = c.name(text);
        if (n.pkg() != null) {
            throw CliException.usage("'" + text + "': packages do not nest; write NAME or /NAMESPACE/NAME");
        }
        return n;
    }
}
