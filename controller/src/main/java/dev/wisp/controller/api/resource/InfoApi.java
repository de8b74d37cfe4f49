package dev.wisp.controller.api.resource;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.config.Limits;
import dev.wisp.common.entity.Kinds;
import dev.wisp.common.entity.NamespaceLimits;
import dev.wisp.controller.activation.Sequences;
import java.util.List;
import java.util.Map;

/**
 * The two documents OpenWhisk's controller serves without credentials: {@code GET /}, what the system offers (API
 * paths, limits and the runtime kinds by family, which Adobe's aio CLI reads before a deploy), and
 * {@code GET /api/v1}, the API version. Field names and units are OpenWhisk's: durations in milliseconds, memory
 * and log sizes in bytes.
 */
public final class InfoApi {
    public static final String API_PATH = "/api/v1";
    private static final long MB = 1024L * 1024;

    private final ObjectNode info;
    private final ObjectNode apiV1;

    public InfoApi(Limits limits, NamespaceLimits throttles) {
        this.info = info(limits, throttles);
        this.apiV1 = apiV1();
    }

    public ObjectNode info() {
        return info.deepCopy();
    }

    public ObjectNode apiV1Info() {
        return apiV1.deepCopy();
    }

    /** {@code GET /}. */
    public static ObjectNode info(Limits limits, NamespaceLimits throttles) {
        ObjectNode doc = Json.object().put("description", "Wisp, an OpenWhisk-compatible serverless platform");
        doc.putArray("api_paths").add(API_PATH);
        ObjectNode l = doc.putObject("limits")
                .put("actions_per_minute", throttles.invocationsPerMinute())
                .put("triggers_per_minute", throttles.firesPerMinute())
                .put("concurrent_actions", throttles.concurrentInvocations())
                .put("sequence_length", Sequences.MAX_LENGTH);
        // one set of action limits for every namespace: the namespace defaults are the system's
        for (String prefix : List.of("default_", "")) {
            l.put(prefix + "min_action_duration", (long) limits.timeoutMinMs())
                    .put(prefix + "max_action_duration", (long) limits.timeoutMaxMs())
                    .put(prefix + "min_action_memory", limits.memoryMinMb() * MB)
                    .put(prefix + "max_action_memory", limits.memoryMaxMb() * MB)
                    .put(prefix + "min_action_logs", 0L)
                    .put(prefix + "max_action_logs", limits.logsMaxMb() * MB);
        }
        ObjectNode runtimes = doc.putObject("runtimes");
        for (Map.Entry<String, List<Kinds.Runtime>> family : Kinds.byFamily().entrySet()) {
            ArrayNode kinds = runtimes.putArray(family.getKey());
            for (Kinds.Runtime r : family.getValue()) {
                kinds.addObject().put("kind", r.kind()).put("image", r.image()).put("deprecated", r.deprecated())
                        .put("default", r.isDefault()).put("attached", false).put("requireMain", false);
            }
        }
        return doc;
    }

    /** {@code GET /api/v1}. */
    static ObjectNode apiV1() {
        return Json.object().put("description", "Wisp's OpenWhisk-compatible REST API")
                .put("api_version", "1.0.0").put("api_version_path", "v1");
    }
}
