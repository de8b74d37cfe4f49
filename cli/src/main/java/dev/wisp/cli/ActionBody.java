package dev.wisp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** The parts of an action's PUT body that come from flags and a file: its exec and its web annotations. */
final class ActionBody {
    private ActionBody() {
    }

    /** The exec of a file, a sequence or an image; null for an update that changes no code. */
    static JsonNode exec(Context c, EntityName name, String artifact, boolean update) {
        ObjectNode exec = Json.object();
        String kind = c.args.value("kind");
        if (c.args.has("sequence")) {
            ArrayNode components = exec.put("kind", "sequence").putArray("components");
            for (String part : c.args.value("sequence").split(",")) {
                if (!part.isBlank()) {
                    components.add(c.name(part.trim()).full());
                }
            }
            return exec;
        }
        if (c.args.has("docker")) {
            exec.put("kind", "blackbox").put("image", c.args.value("docker"));
            if (artifact != null) {
                putCode(exec, Path.of(artifact), c.args.value("main"));
            }
            return exec;
        }
        if (artifact == null) {
            if (update && kind == null) {
                return null;
            }
            throw CliException.usage("missing the action's FILE or FOLDER (or --sequence / --docker)");
        }
        Path file = Path.of(artifact);
        if (!Files.isRegularFile(file)) {
            throw CliException.usage(artifact + ": no such file or folder");
        }
        exec.put("kind", kind != null ? kind : kindOf(file));
        putCode(exec, file, c.args.value("main"));
        return exec;
    }

    private static void putCode(ObjectNode exec, Path file, String main) {
        try {
            String fileName = file.getFileName().toString();
            if (fileName.endsWith(".zip") || fileName.endsWith(".jar")) {
                exec.put("code", Base64.getEncoder().encodeToString(Files.readAllBytes(file))).put("binary", true);
            } else {
                exec.put("code", Files.readString(file, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw CliException.usage("cannot read " + file + ": " + e.getMessage());
        }
        if (main != null) {
            exec.put("main", main);
        }
    }

    static String kindOf(Path file) {
        String n = file.getFileName().toString();
        if (n.endsWith(".js") || n.endsWith(".mjs") || n.endsWith(".cjs")) {
            return "nodejs:default";
        }
        if (n.endsWith(".py")) {
            return "python:default";
        }
        if (n.endsWith(".jar")) {
            return "java:default";
        }
        try {
            if (Files.size(file) > 2 && new String(Files.readAllBytes(file), 0, 2, StandardCharsets.UTF_8).equals("#!")) {
                return "blackbox";
            }
        } catch (IOException e) {
            throw CliException.usage("cannot read " + file + ": " + e.getMessage());
        }
        throw CliException.usage("cannot tell the kind of " + file + " from its name; give --kind"
                + " (nodejs:default, python:default, java:default, blackbox)");
    }

    static ArrayNode webAnnotations(Context c) {
        ArrayNode list = Json.array();
        String web = c.args.value("web");
        if (web != null) {
            boolean on = switch (web.toLowerCase()) {
                case "true", "yes", "raw" -> true;
                case "false", "no" -> false;
                default -> throw CliException.usage("--web takes true, false or raw, not '" + web + "'");
            };
            list.addObject().put("key", "web-export").put("value", on);
            list.addObject().put("key", "raw-http").put("value", web.equalsIgnoreCase("raw"));
            if (on) {
                list.addObject().put("key", "final").put("value", true);
            }
        }
        String secure = c.args.value("web-secure");
        if (secure != null) {
            list.addObject().put("key", "require-whisk-auth")
                    .set("value", secure.equals("true") || secure.equals("false") ? Json.valueOf(secure)
                            : Json.MAPPER.getNodeFactory().textNode(secure));
        }
        return list;
    }
}
