package dev.wisp.cli.folder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A function folder: its code and a {@code wisp.json} saying how to run it, e.g.
 * <pre>{"kind": "nodejs:20", "main": "main", "limits": {"memory": 256, "timeout": 10000, "concurrency": 1,
 *  "logs": 10}, "params": {"greeting": "hi"}, "annotations": {}, "web": false}</pre>
 * Every key is optional (and the file too, in a folder with a Dockerfile); a folder of kind {@code nodejs:*} or {@code python:*} becomes a zip, {@code java:*} a jar
 * (its {@code .java} files compiled, or its one {@code .jar}), and one with a {@code Dockerfile}, or of kind
 * {@code blackbox} with one executable, an image on the local Docker engine run by a {@code blackbox} action.
 */
public final class FunctionFolder {
    public static final String METADATA = "wisp.json";
    private static final Set<String> KEYS = Set.of("kind", "main", "limits", "params", "annotations", "web");
    private static final Set<String> LIMITS = Set.of("memory", "timeout", "concurrency", "logs");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What the folder makes: the action's exec, and its limits, parameters and annotations from wisp.json. */
    public record Built(ObjectNode exec, ObjectNode limits, ArrayNode params, ArrayNode annotations) {
    }

    private final Path dir;
    private final ObjectNode meta;

    private FunctionFolder(Path dir, ObjectNode meta) {
        this.dir = dir;
        this.meta = meta;
    }

    public static FunctionFolder read(Path dir) {
        Path file = dir.resolve(METADATA);
        if (!Files.isRegularFile(file) && Files.isRegularFile(dir.resolve("Dockerfile"))) {
            return new FunctionFolder(dir, MAPPER.createObjectNode()); // an image needs no more than its Dockerfile
        }
        if (!Files.isRegularFile(file)) {
            throw FolderException.bad(file, "missing; a function folder needs one, at least {\"kind\": \"nodejs:20\"}"
                    + " (or python:3.11, java:17, blackbox with a Dockerfile or an executable)");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw FolderException.bad(file, "not valid JSON: " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw FolderException.bad(file, "cannot read it (" + e.getMessage() + ")");
        }
        if (node == null || !node.isObject()) {
            throw FolderException.bad(file, "must hold a JSON object");
        }
        check(file, (ObjectNode) node);
        return new FunctionFolder(dir, (ObjectNode) node);
    }

    private static void check(Path file, ObjectNode meta) {
        for (Iterator<String> it = meta.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw FolderException.bad(file, "unknown key '" + key + "'; the keys are " + String.join(", ",
                        List.of("kind", "main", "limits", "params", "annotations", "web")));
            }
        }
        for (String key : List.of("kind", "main")) {
            if (meta.has(key) && (!meta.get(key).isTextual() || meta.get(key).asText().isBlank())) {
                throw FolderException.bad(file, "'" + key + "' must be a non-empty string");
            }
        }
        for (String key : List.of("limits", "params", "annotations")) {
            if (meta.has(key) && !meta.get(key).isObject()) {
                throw FolderException.bad(file, "'" + key + "' must be an object");
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = meta.path("limits").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!LIMITS.contains(e.getKey()) || !e.getValue().canConvertToInt() || e.getValue().asInt() <= 0) {
                throw FolderException.bad(file, "limits." + e.getKey() + ": the limits are memory (MB), timeout"
                        + " (ms), concurrency and logs (MB), each a positive whole number");
            }
        }
        if (meta.has("web") && !meta.get("web").isBoolean() && !"raw".equals(meta.get("web").asText())) {
            throw FolderException.bad(file, "'web' must be true, false or \"raw\"");
        }
    }

    /**
     * Packs or builds the folder into an action's exec.
     *
     * @param repository the image repository for a folder built into an image
     * @param kindFlag   a {@code --kind} given on the command line, or null
     */
    public Built build(String repository, String kindFlag, Consumer<String> progress) {
        String kind = kindFlag != null ? kindFlag : meta.path("kind").asText(null);
        boolean dockerfile = Files.isRegularFile(dir.resolve("Dockerfile"));
        List<FolderFiles.Entry> files = FolderFiles.collect(dir, List.of(METADATA), w -> progress.accept(dir + ": " + w));
        ObjectNode exec = MAPPER.createObjectNode();
        String family = kind == null ? "" : kind.split(":")[0];
        if (dockerfile || family.equals("blackbox") || family.equals("docker") || kind == null) {
            exec.put("kind", "blackbox");
            image(exec, repository, files, dockerfile, progress);
        } else if (family.equals("nodejs") || family.equals("python")) {
            requireMain(family, files);
            progress.accept("packing " + dir + " as a zip (" + files.size() + " files) for " + kind);
            exec.put("kind", kind).put("code", Packer.zip(dir, files)).put("binary", true);
            putMain(exec);
        } else if (family.equals("java")) {
            exec.put("kind", kind).put("code", JavaFolder.jar(dir, files, mainClass(), progress)).put("binary", true);
            exec.put("main", mainClass());
        } else {
            throw FolderException.bad(dir.resolve(METADATA), "unknown kind '" + kind + "'; use nodejs:20,"
                    + " python:3.11, java:17 or blackbox (a Dockerfile or one executable)");
        }
        return new Built(exec, meta.has("limits") ? (ObjectNode) meta.get("limits") : MAPPER.createObjectNode(),
                keyValues(meta.path("params")), annotations());
    }

    private void image(ObjectNode exec, String repository, List<FolderFiles.Entry> files, boolean dockerfile,
                       Consumer<String> progress) {
        String program;
        String tag;
        if (dockerfile) {
            program = meta.path("main").asText("/action/exec");
            if (!program.startsWith("/")) {
                throw FolderException.bad(dir.resolve(METADATA), "'main' of an image is the absolute path of its"
                        + " executable in the image (default /action/exec), not '" + program + "'");
            }
            tag = ImageBuilder.build(dir, repository, files, "Dockerfile", null, progress);
        } else {
            String executable = executable(files);
            program = "/action/exec";
            tag = ImageBuilder.build(dir, repository, files.stream().filter(f -> f.name().equals(executable)).toList(),
                    null, executable, progress);
        }
        // the blackbox runtime in the image runs this, which hands over to the program the image holds
        exec.put("image", tag).put("code", "#!/bin/sh\nexec " + program + " \"$@\"\n");
    }

    /** The folder's one executable: {@code main}, else {@code exec}, else its only executable file. */
    private String executable(List<FolderFiles.Entry> files) {
        String named = meta.path("main").asText(null);
        if (named != null || files.stream().anyMatch(f -> f.name().equals("exec"))) {
            String want = named != null ? named : "exec";
            FolderFiles.Entry e = files.stream().filter(f -> f.name().equals(want)).findFirst()
                    .orElseThrow(() -> FolderException.bad(dir.resolve(want), "no such file ('main' in " + METADATA + ")"));
            if (!e.executable()) {
                throw FolderException.bad(dir.resolve(want), "not executable (chmod +x it)");
            }
            return want;
        }
        List<FolderFiles.Entry> executables = files.stream().filter(FolderFiles.Entry::executable).toList();
        if (executables.size() != 1) {
            throw FolderException.bad(dir, executables.isEmpty()
                    ? "no Dockerfile and no executable file; a blackbox folder needs one of them"
                    : "no Dockerfile and " + executables.size() + " executable files; name the one to run in "
                    + METADATA + " as \"main\"");
        }
        return executables.get(0).name();
    }

    private void requireMain(String family, List<FolderFiles.Entry> files) {
        if (family.equals("python")) {
            if (files.stream().noneMatch(f -> f.name().equals("__main__.py"))) {
                throw FolderException.bad(dir.resolve("__main__.py"), "missing; the Python runtime runs a zip's"
                        + " __main__.py (its function 'main', or the one named by \"main\" in " + METADATA + ")");
            }
            return;
        }
        String mainFile = "index.js";
        Path pkg = dir.resolve("package.json");
        if (Files.isRegularFile(pkg)) {
            try {
                JsonNode p = MAPPER.readTree(Files.readString(pkg, StandardCharsets.UTF_8));
                mainFile = p.path("main").asText("index.js").replaceFirst("^\\./", "");
            } catch (IOException e) {
                throw FolderException.bad(pkg, "not valid JSON (" + e.getMessage().split("\n")[0] + ")");
            }
        }
        String want = mainFile;
        if (files.stream().noneMatch(f -> f.name().equals(want))) {
            throw FolderException.bad(dir.resolve(want), "missing; the Node.js runtime loads package.json's"
                    + " \"main\", else index.js");
        }
    }

    private void putMain(ObjectNode exec) {
        if (meta.has("main")) {
            exec.put("main", meta.get("main").asText());
        }
    }

    private String mainClass() {
        if (!meta.has("main")) {
            throw FolderException.bad(dir.resolve(METADATA), "a Java folder needs \"main\": its class, e.g."
                    + " \"com.example.Hello\" (or \"com.example.Hello#method\")");
        }
        return meta.get("main").asText();
    }

    private ArrayNode annotations() {
        ArrayNode list = keyValues(meta.path("annotations"));
        if (meta.has("web")) {
            boolean on = !meta.get("web").isBoolean() || meta.get("web").asBoolean();
            list.addObject().put("key", "web-export").put("value", on);
            list.addObject().put("key", "raw-http").put("value", "raw".equals(meta.get("web").asText()));
        }
        return list;
    }

    private static ArrayNode keyValues(JsonNode object) {
        ArrayNode list = MAPPER.createArrayNode();
        object.fields().forEachRemaining(e -> list.addObject().put("key", e.getKey()).set("value", e.getValue()));
        return list;
    }
}
