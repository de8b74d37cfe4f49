package dev.wisp.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** A no-op hello action per kind, as the {@code /init} value its runtime expects. */
final class ActionSamples {
    private ActionSamples() {
    }

    /** Kind name to the runtime image and the {@code /init} value of a hello action. */
    static Map<String, Sample> all() {
        Map<String, Sample> m = new LinkedHashMap<>();
        m.put("nodejs", new Sample("wisp/action-nodejs:latest",
                init("function main(p) { return { hello: p.name || 'world' }; }", "main", false)));
        m.put("python", new Sample("wisp/action-python:latest",
                init("def main(args):\n    return {'hello': args.get('name', 'world')}\n", "main", false)));
        javaSample().ifPresent(sample -> m.put("java", sample));
        m.put("blackbox", new Sample("wisp/action-blackbox:latest",
                init("#!/bin/sh\necho '{\"hello\": \"world\"}'\n", "main", false)));
        return m;
    }

    record Sample(String image, ObjectNode init) {
    }

    /** The Java runtime's own smoke-test jar, built by its script (empty when no JDK can build it). */
    private static java.util.Optional<Sample> javaSample() {
        try {
            Process p = new ProcessBuilder("runtimes/java/smoke/init.sh").redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                return java.util.Optional.empty();
            }
            ObjectNode value = (ObjectNode) Json.mapper().readTree(out).path("value");
            value.set("env", Json.object());
            return java.util.Optional.of(new Sample("wisp/action-java:latest", value));
        } catch (java.io.IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    static ObjectNode init(String code, String main, boolean binary) {
        ObjectNode v = Json.object().put("name", "bench").put("main", main).put("code", code).put("binary", binary);
        v.set("env", Json.object());
        return v;
    }
}
