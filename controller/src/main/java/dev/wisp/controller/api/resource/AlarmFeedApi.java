package dev.wisp.controller.api.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Identity;
import dev.wisp.common.entity.KeyValue;
import dev.wisp.common.entity.WhiskTrigger;
import dev.wisp.common.error.WispException;
import dev.wisp.common.message.ActivationId;
import dev.wisp.controller.alarm.AlarmTrigger;
import dev.wisp.controller.api.request.ApiContext;
import dev.wisp.controller.api.request.UserJson;
import dev.wisp.controller.store.TriggerStore;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The alarms feed action, {@code POST /namespaces/whisk.system/actions/alarms/alarm}, as {@code wsk trigger create
 * --feed} and the npm client's {@code feeds} invoke it: {@code lifecycleEvent} CREATE or UPDATE puts the schedule
 * ({@code cron}, {@code trigger_payload}, {@code startDate}, {@code stopDate}, {@code maxTriggers},
 * {@code timezone}) on the caller's trigger {@code triggerName}, READ shows it, DELETE takes it off.
 */
public final class AlarmFeedApi {
    public static final String PATH = "/api/v1/namespaces/whisk.system/actions/alarms/alarm";
    private static final Set<String> ALARM_KEYS = Set.of("cron", "trigger_payload", "startDate", "stopDate",
            "maxTriggers", "timezone");

    private final TriggerStore.Docs<WhiskTrigger> triggers;

    public AlarmFeedApi(TriggerStore triggers) {
        this.triggers = triggers.triggers();
    }

    public void invoke(RoutingContext ctx) {
        Identity user = ApiContext.identity(ctx);
        // read before the change is made: a bad value thrown once it is made would reach no one (no answer at all)
        boolean resultOnly = ApiContext.flag(ctx, "result", false);
        ObjectNode body = UserJson.object(ApiContext.body(ctx));
        String event = body.path("lifecycleEvent").asText("").toUpperCase(Locale.ROOT);
        EntityPath path = trigger(user, body.path("triggerName").asText(""));
        Future<JsonNode> result = switch (event) {
            case "CREATE", "UPDATE" -> triggers.get(path).compose(found -> {
                TriggerStore.Stored<WhiskTrigger> s = found.orElseThrow(() -> WispException.notFound(
                        "The trigger " + path + " does not exist."));
                List<KeyValue> params = new ArrayList<>(event.equals("CREATE") ? withoutAlarm(s.entity().parameters())
                        : s.entity().parameters());
                body.fields().forEachRemaining(f -> {
                    if (ALARM_KEYS.contains(f.getKey())) {
                        params.removeIf(kv -> kv.key().equals(f.getKey()));
                        params.add(new KeyValue(f.getKey(), f.getValue()));
                    }
                });
                List<KeyValue> annotations = new ArrayList<>(s.entity().annotations());
                annotations.removeIf(kv -> kv.key().equals("feed"));
                annotations.add(new KeyValue("feed", Json.toTree(AlarmTrigger.FEED)));
                try {
                    AlarmTrigger.from(path, Json.toTree(params), 0);
                } catch (IllegalArgumentException e) {
                    throw WispException.badRequest("Invalid alarm trigger: " + e.getMessage() + ".");
                }
                return put(s, params, annotations).map(v -> (JsonNode) Json.object());
            });
            case "READ" -> triggers.get(path).map(found -> {
                WhiskTrigger t = found.orElseThrow(() -> WispException.notFound("The trigger " + path
                        + " does not exist.")).entity();
                ObjectNode config = Json.object().put("name", t.name()).put("namespace", t.namespace());
                t.parameters().stream().filter(kv -> ALARM_KEYS.contains(kv.key()))
                        .forEach(kv -> config.set(kv.key(), kv.value()));
                ObjectNode out = Json.object();
                out.set("config", config);
                out.set("status", Json.object().put("active", config.has("cron")));
                return out;
            });
            case "DELETE" -> triggers.get(path).compose(found -> found.isEmpty()
                    ? Future.succeededFuture((JsonNode) Json.object())
                    : put(found.get(), withoutAlarm(found.get().entity().parameters()), found.get().entity().annotations())
                            .map(v -> (JsonNode) Json.object()));
            default -> throw WispException.badRequest(
                    "The alarms feed needs 'lifecycleEvent' CREATE, UPDATE, READ or DELETE, not '" + event + "'.");
        };
        result.onSuccess(r -> {
            if (resultOnly) {
                ApiContext.json(ctx, 200, r);
                return;
            }
            long now = System.currentTimeMillis();
            ObjectNode record = Json.object().put("namespace", user.namespace()).put("name", "alarm")
                    .put("subject", user.subject()).put("activationId", ActivationId.generate().value())
                    .put("version", "0.0.1").put("publish", false).put("start", now).put("end", now)
                    .put("duration", 0);
            ObjectNode response = record.putObject("response").put("status", "success").put("statusCode", 0)
                    .put("success", true);
            response.set("result", r);
            record.putArray("logs");
            record.putArray("annotations");
            ApiContext.json(ctx, 200, record);
        }).onFailure(ctx::fail);
    }

    private Future<String> put(TriggerStore.Stored<WhiskTrigger> s, List<KeyValue> params, List<KeyValue> annotations) {
        WhiskTrigger t = s.entity();
        WhiskTrigger next = new WhiskTrigger(t.namespace(), t.name(), t.version(), t.publish(), params, annotations,
                t.limits(), t.rules(), System.currentTimeMillis());
        return triggers.put(EntityPath.of(t.namespace(), t.name()), next, s.revision());
    }

    private static List<KeyValue> withoutAlarm(List<KeyValue> params) {
        return params.stream().filter(kv -> !ALARM_KEYS.contains(kv.key())).toList();
    }

    /** The trigger named {@code /namespace/name}, {@code /_/name} or {@code name}; only the caller's own. */
    private static EntityPath trigger(Identity user, String name) {
        String[] parts = name.startsWith("/") ? name.substring(1).split("/") : new String[] {"_", name};
        if (parts.length != 2 || parts[1].isEmpty()) {
            throw WispException.badRequest("The alarms feed needs 'triggerName' as /namespace/trigger, not '"
                    + name + "'.");
        }
        String ns = parts[0].equals("_") ? user.namespace() : parts[0];
        if (!ns.equals(user.namespace())) {
            throw WispException.forbidden("The supplied authentication is not authorized to access '" + ns + "'.");
        }
        return EntityPath.of(ns, parts[1]);
    }
}
