package dev.wisp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.cli.folder.FunctionFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code ./wisp action create|update|get|delete|list|invoke}. */
final class ActionCommands {
    static final String USAGE = """
            ./wisp action create|update NAME [FILE | FOLDER] [flags]
                  --kind KIND (nodejs:20, python:3.11, java:17, blackbox ...; from FILE's extension by default)
                  --main NAME  -m/--memory MB  -t/--timeout MS  -c/--concurrency N  -l/--logsize MB
                  -p KEY VALUE  -P/--param-file FILE  -a KEY VALUE  -A/--annotation-file FILE
                  --web true|false|raw  --web-secure SECRET|true|false
                  --sequence A,B,...   --docker IMAGE (a blackbox action on a local image; FILE optional)
                  FOLDER: a function folder with wisp.json (packed as a zip or jar, or built into an image)
            ./wisp action invoke NAME [-p KEY VALUE] [-P FILE] [-b/--blocking] [-r/--result]
            ./wisp action get NAME [FIELD] [-s/--summary] [--url] [--save | --save-as FILE]
            ./wisp action delete NAME
            ./wisp action list [PACKAGE] [-l/--limit N] [-s/--skip N]
            """;

    static final List<Args.Flag> FLAGS = flags();

    private ActionCommands() {
    }

    private static List<Args.Flag> flags() {
        List<Args.Flag> f = new ArrayList<>(Context.KEY_VALUE_FLAGS);
        f.addAll(List.of(new Args.Flag("kind", null, 1), new Args.Flag("main", null, 1),
                new Args.Flag("memory", "m", 1), new Args.Flag("timeout", "t", 1),
                new Args.Flag("concurrency", "c", 1), new Args.Flag("logsize", "l", 1),
                new Args.Flag("web", null, 1), new Args.Flag("web-secure", null, 1),
                new Args.Flag("sequence", null, 1), new Args.Flag("docker", null, 1),
                new Args.Flag("blocking", "b", 0), new Args.Flag("result", "r", 0),
                new Args.Flag("summary", "s", 0), new Args.Flag("url", null, 0), new Args.Flag("save", null, 0),
                new Args.Flag("save-as", null, 1),
                new Args.Flag("limit", null, 1), new Args.Flag("skip", null, 1)));
        return f;
    }

    static void run(String verb, Context c) {
        switch (verb) {
            case "create" -> put(c, false);
            case "update" -> put(c, true);
            case "invoke" -> invoke(c);
            case "get" -> get(c);
            case "delete" -> delete(c);
            case "list" -> list(c);
            default -> throw CliException.usage("unknown command 'action " + verb + "'; usage:\n" + USAGE);
        }
    }

    private static void put(Context c, boolean update) {
        c.args.atMost(2, "./wisp action " + (update ? "update" : "create") + " NAME [FILE | FOLDER] [flags]");
        EntityName name = c.name(c.args.positional(0, "the action's NAME"));
        String artifact = c.args.optionalPositional(1);
        ObjectNode body = Json.object();
        ObjectNode limits = Json.object();
        ArrayNode params = Json.array();
        ArrayNode annotations = Json.array();
        if (artifact != null && Files.isDirectory(Path.of(artifact))) {
            FunctionFolder.Built built = FunctionFolder.read(Path.of(artifact)).build(repository(name),
                    c.args.value("kind"), c::progress);
            body.set("exec", built.exec());
            limits.setAll(built.limits());
            params.addAll(built.params());
            annotations.addAll(built.annotations());
        } else {
            JsonNode exec = ActionBody.exec(c, name, artifact, update);
            if (exec != null) {
                body.set("exec", exec);
            }
        }
        putLimit(c, limits, "memory", "memory");
        putLimit(c, limits, "timeout", "timeout");
        putLimit(c, limits, "concurrency", "concurrency");
        putLimit(c, limits, "logsize", "logs");
        if (!limits.isEmpty()) {
            body.set("limits", limits);
        }
        params.addAll(c.params());
        if (!params.isEmpty()) {
            body.set("parameters", params);
        }
        annotations.addAll(c.annotations());
        annotations.addAll(ActionBody.webAnnotations(c));
        if (!annotations.isEmpty()) {
            body.set("annotations", annotations);
        }
        JsonNode action = c.api().ok((update ? "update" : "create") + " action '" + name.display() + "'", "PUT",
                name.path("actions"), Map.of("overwrite", String.valueOf(update)), body);
        c.done((update ? "updated" : "created") + " action " + name.display(), action);
    }

    /** The image repository of a function folder built for this action: wisp-fn/[pkg-]name, as Docker spells it. */
    static String repository(EntityName name) {
        String n = (name.pkg() == null ? "" : name.pkg() + "-") + name.name();
        return "wisp-fn/" + n.toLowerCase().replaceAll("[^a-z0-9._-]", "-").replaceAll("^[^a-z0-9]+", "x");
    }

    private static void putLimit(Context c, ObjectNode limits, String flag, String field) {
        Integer v = c.args.intValue(flag);
        if (v != null) {
            limits.put(field, v);
        }
    }

    private static void invoke(Context c) {
        c.args.atMost(1, "./wisp action invoke NAME [-p KEY VALUE] [-b] [-r]");
        EntityName name = c.name(c.args.positional(0, "the action's NAME"));
        boolean result = c.args.has("result");
        boolean blocking = result || c.args.has("blocking");
        Map<String, String> query = new LinkedHashMap<>();
        query.put("blocking", String.valueOf(blocking));
        query.put("result", String.valueOf(result));
        Api.Response r = c.api().call("POST", name.path("actions"), query, c.paramObject());
        String id = r.headers().getOrDefault("x-openwhisk-activation-id",
                r.body() == null ? "" : Json.text(r.body(), "activationId"));
        if (r.status() == 202) {
            if (c.json()) {
                c.out.println(Json.pretty(r.body()));
            } else {
                c.out.println("ok: invoked " + name.display() + " with id " + id
                        + (blocking ? " (still running; ./wisp activation get " + id + ")" : ""));
            }
            return;
        }
        // 502 with the activation (or with -r its result): the action ran and failed; the answer still shows it
        boolean failedRun = r.status() == 502 && r.body() != null && (r.body().has("response") || result);
        if (!r.ok() && !failedRun) {
            throw Api.refused("invoke action '" + name.display() + "'", r);
        }
        if (result) {
            c.out.println(Json.pretty(r.body().has("response") ? r.body().path("response").path("result") : r.body()));
        } else {
            if (!c.json()) {
                c.out.println("ok: invoked " + name.display() + " with id " + id);
            }
            c.out.println(Json.pretty(r.body()));
        }
        if (failedRun) {
            JsonNode response = r.body().path("response");
            JsonNode error = response.isMissingNode() ? r.body() : response.path("result");
            throw CliException.failed("the action failed" + (response.isMissingNode() ? ""
                    : " (" + Json.text(response, "status") + ")") + ": " + Json.text(error, "error")
                    + " (activation " + id + ")");
        }
    }

    private static void get(Context c) {
        c.args.atMost(2, "./wisp action get NAME [FIELD]");
        EntityName name = c.name(c.args.positional(0, "the action's NAME"));
        JsonNode action = c.api().ok("get action '" + name.display() + "'", "GET", name.path("actions"), null, null);
        if (c.args.has("url")) {
            String pkg = name.pkg() == null ? "default" : name.pkg();
            String ns = Json.text(action, "namespace").split("/")[0];
            c.out.println(c.api().base() + "/web/" + ns + "/" + pkg + "/" + name.name());
            return;
        }
        if (c.args.has("save") || c.args.has("save-as")) {
            save(c, name, action.path("exec"));
            return;
        }
        String field = c.args.optionalPositional(1);
        if (field != null) {
            c.out.println(Json.pretty(action.path(field)));
        } else if (c.args.has("summary") && !c.json()) {
            EntitySummary.action(c.out, action);
        } else {
            if (!c.json()) {
                c.out.println("ok: got action " + name.display());
            }
            c.out.println(Json.pretty(action));
        }
    }

    /** Writes the action's code to NAME.js/.py/.jar/.zip (or --save-as FILE); never over an existing file. */
    private static void save(Context c, EntityName name, JsonNode exec) {
        String code = exec.path("code").asText(null);
        if (code == null) {
            throw CliException.failed("the action " + name.display() + " has no code to save ("
                    + Json.text(exec, "kind") + ")");
        }
        boolean binary = exec.path("binary").asBoolean();
        String family = Json.text(exec, "kind").split(":")[0];
        String ext = binary ? (family.equals("java") ? ".jar" : ".zip")
                : family.equals("nodejs") ? ".js" : family.equals("python") ? ".py" : family.equals("java") ? ".jar" : "";
        Path file = Path.of(c.args.has("save-as") ? c.args.value("save-as") : name.name() + ext);
        try {
            byte[] bytes = binary ? Base64.getDecoder().decode(code) : code.getBytes(StandardCharsets.UTF_8);
            Files.write(file, bytes, java.nio.file.StandardOpenOption.CREATE_NEW);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw CliException.failed(file + " exists; give --save-as FILE");
        } catch (IOException | IllegalArgumentException e) {
            throw CliException.failed("cannot write " + file + ": " + e.getMessage());
        }
        c.done("saved action code to " + file.toAbsolutePath(), null);
    }

    private static void delete(Context c) {
        c.args.atMost(1, "./wisp action delete NAME");
        EntityName name = c.name(c.args.positional(0, "the action's NAME"));
        JsonNode gone = c.api().ok("delete action '" + name.display() + "'", "DELETE", name.path("actions"), null, null);
        c.done("deleted action " + name.display(), gone);
    }

    private static void list(Context c) {
        c.args.atMost(1, "./wisp action list [PACKAGE]");
        String pkg = c.args.optionalPositional(0);
        String path = "/namespaces/" + EntityName.enc(c.props().namespace()) + "/actions"
                + (pkg == null ? "" : "/" + EntityName.enc(pkg) + "/");
        JsonNode list = c.api().ok("list actions", "GET", path, page(c), null);
        if (c.json()) {
            c.out.println(Json.pretty(list));
            return;
        }
        Table t = new Table("ACTION", "KIND", "VERSION", "ACCESS");
        for (JsonNode a : list) {
            t.row("/" + Json.text(a, "namespace") + "/" + Json.text(a, "name"), EntitySummary.annotation(a, "exec"),
                    Json.text(a, "version"), a.path("publish").asBoolean() ? "shared" : "private");
        }
        t.print(c.out);
    }

    static Map<String, String> page(Context c) {
        Map<String, String> q = new LinkedHashMap<>();
        Integer limit = c.args.intValue("limit");
        Integer skip = c.args.intValue("skip");
        q.put("limit", limit == null ? null : limit.toString());
        q.put("skip", skip == null ? null : skip.toString());
        return q;
    }
}
