package dev.wisp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** One command's world: its arguments, where the API is, and where its output goes (a table or {@code --json}). */
final class Context {
    /** The flags of commands that take parameters and annotations. */
    static final List<Args.Flag> KEY_VALUE_FLAGS = List.of(new Args.Flag("param", "p", 2),
            new Args.Flag("param-file", "P", 1), new Args.Flag("annotation", "a", 2),
            new Args.Flag("annotation-file", "A", 1));

    final Args args;
    final PrintStream out;
    final PrintStream err;
    final Map<String, String> env;
    private Props props;
    private Api api;

    Context(Args args, PrintStream out, PrintStream err, Map<String, String> env) {
        this.args = args;
        this.out = out;
        this.err = err;
        this.env = env;
    }

    boolean json() {
        return args.has("json");
    }

    Props props() {
        if (props == null) {
            props = Props.load(env, args);
        }
        return props;
    }

    Api api() {
        if (api == null) {
            api = new Api(props().apiHost(), props().auth(), args.has("insecure"));
        }
        return api;
    }

    /** The namespace's real name ({@code _} asked of the API once), for what the API wants spelled out. */
    String namespaceName(EntityName name) {
        if (!name.namespace().equals("_")) {
            return name.namespace();
        }
        JsonNode list = api().ok("find the key's namespace", "GET", "/namespaces", null, null);
        if (list == null || list.isEmpty()) {
            throw CliException.failed("the API lists no namespace for this key");
        }
        return list.get(0).asText();
    }

    EntityName name(String text) {
        return EntityName.parse(text, props().namespace());
    }

    /** {@code ok: message} for people, or the JSON for scripts (nothing when there is none). */
    void done(String message, JsonNode json) {
        if (json()) {
            if (json != null) {
                out.println(Json.pretty(json));
            }
        } else {
            out.println("ok: " + message);
        }
    }

    /** A progress line on stderr (so that {@code --json} output stays parseable). */
    void progress(String message) {
        err.println("wisp: " + message);
    }

    /** The parameters of {@code -P file} then {@code -p KEY VALUE} (later ones win), as [{key, value}]. */
    ArrayNode params() {
        return keyValues("param", "param-file");
    }

    ArrayNode annotations() {
        return keyValues("annotation", "annotation-file");
    }

    boolean hasParams() {
        return args.has("param") || args.has("param-file");
    }

    boolean hasAnnotations() {
        return args.has("annotation") || args.has("annotation-file");
    }

    /** The parameters as one object, for an invoke or a fire body. */
    ObjectNode paramObject() {
        ObjectNode o = Json.object();
        for (JsonNode kv : params()) {
            o.set(kv.get("key").asText(), kv.get("value"));
        }
        return o;
    }

    private ArrayNode keyValues(String flag, String fileFlag) {
        ObjectNode merged = Json.object();
        for (List<String> file : args.all(fileFlag)) {
            JsonNode read = readJsonFile(Path.of(file.get(0)));
            if (!read.isObject()) {
                throw CliException.usage(file.get(0) + " must hold a JSON object, not " + read.getNodeType());
            }
            merged.setAll((ObjectNode) read);
        }
        for (List<String> kv : args.all(flag)) {
            merged.set(kv.get(0), Json.valueOf(kv.get(1)));
        }
        return toKeyValues(merged);
    }

    static ArrayNode toKeyValues(JsonNode object) {
        ArrayNode list = Json.array();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            list.addObject().put("key", e.getKey()).set("value", e.getValue());
        }
        return list;
    }

    static JsonNode readJsonFile(Path file) {
        try {
            return Json.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw CliException.usage("cannot read " + file + ": " + e.getMessage());
        }
    }
}
