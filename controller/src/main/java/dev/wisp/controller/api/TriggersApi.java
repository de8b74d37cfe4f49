package dev.wisp.controller.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.config.Limits;
import dev.wisp.common.entity.EntityName;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.WhiskTrigger;
import dev.wisp.common.error.WispException;
import dev.wisp.common.message.ActivationId;
import dev.wisp.controller.alarm.AlarmTrigger;
import dev.wisp.controller.store.TriggerStore;
import dev.wisp.controller.throttle.FireThrottle;
import dev.wisp.controller.trigger.TriggerFires;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;

/**
 * {@code /namespaces/{ns}/triggers[/{name}]}: list, create or update, read, delete, and {@code POST} to fire:
 * 202 {@code {"activationId"}} once the fire is durable in Kafka, 204 when no rule is active, 429 over the
 * namespace's fires per minute.
 */
final class TriggersApi {
    /** The header a caller may send to make a fire idempotent. */
    static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

    private final TriggerStore triggers;
    private final TriggerFires fires;
    private final FireThrottle throttle;
    private final Limits limits;

    TriggersApi(TriggerStore triggers, TriggerFires fires, FireThrottle throttle, Limits limits) {
        this.triggers = triggers;
        this.fires = fires;
        this.throttle = throttle;
        this.limits = limits;
    }

    void list(RoutingContext ctx) {
        String namespace = ApiContext.namespace(ctx);
        ListParams p = ListParams.of(ctx, "triggers");
        if (p.count()) {
            triggers.countTriggers(namespace)
                    .onSuccess(n -> ApiContext.json(ctx, 200, Json.object().put("triggers", Math.max(0, n - p.skip()))))
                    .onFailure(ctx::fail);
            return;
        }
        triggers.listTriggers(namespace, p.skip(), p.limit())
                .onSuccess(list -> ApiContext.json(ctx, 200, list)).onFailure(ctx::fail);
    }

    void put(RoutingContext ctx) {
        EntityPath path = path(ctx);
        boolean overwrite = ApiContext.flag(ctx, "overwrite", false);
        ObjectNode body = UserJson.object(ApiContext.body(ctx));
        triggers.getTrigger(path).compose(existing -> {
            if (existing.isPresent() && !overwrite) {
                return Future.failedFuture(WispException.conflict("resource already exists"));
            }
            WhiskTrigger old = existing.map(TriggerStore.Stored::entity).orElse(null);
            WhiskTrigger t = toTrigger(path, body, old);
            return triggers.putTrigger(path, t, existing.map(TriggerStore.Stored::revision).orElse(null)).map(r -> t);
        }).onSuccess(t -> ApiContext.json(ctx, 200, t)).onFailure(ctx::fail);
    }

    private WhiskTrigger toTrigger(EntityPath path, ObjectNode body, WhiskTrigger old) {
        var parameters = EntityFields.parameters(body, old == null ? List.of() : old.parameters());
        var annotations = EntityFields.annotations(body, old == null ? List.of() : old.annotations());
        AlarmTrigger.validate(path, parameters, annotations);
        int boundSize = Json.encode(parameters).length + Json.encode(annotations).length;
        if (boundSize > limits.payloadBytes()) {
            throw WispException.tooLarge("The parameters and annotations are " + boundSize + " bytes, which exceeds"
                    + " the payload limit of " + limits.payloadBytes() + " bytes.");
        }
        return new WhiskTrigger(path.namespace(), path.name(), EntityFields.version(body, old == null ? null
                : old.version()), EntityFields.publish(body, old != null && old.publish()), parameters, annotations,
                old == null ? null : old.limits(), old == null ? Map.of() : old.rules(), System.currentTimeMillis());
    }

    void get(RoutingContext ctx) {
        EntityPath path = path(ctx);
        required(path).onSuccess(s -> ApiContext.json(ctx, 200, s.entity())).onFailure(ctx::fail);
    }

    void delete(RoutingContext ctx) {
        EntityPath path = path(ctx);
        required(path).compose(s -> triggers.deleteTrigger(path, s.revision()).map(v -> s.entity()))
                .onSuccess(t -> ApiContext.json(ctx, 200, t)).onFailure(ctx::fail);
    }

    void fire(RoutingContext ctx) {
        EntityPath path = path(ctx);
        byte[] raw = ApiContext.body(ctx);
        if (raw.length > limits.payloadBytes()) {
            throw WispException.tooLarge("The request content is " + raw.length + " bytes, which exceeds the"
                    + " payload limit of " + limits.payloadBytes() + " bytes.");
        }
        ObjectNode params = UserJson.object(raw);
        throttle.acquire(path.namespace(), ApiContext.limits(ctx), System.currentTimeMillis());
        fires.fire(ApiContext.tid(ctx), ApiContext.identity(ctx), path, params, triggerActivationId(ctx))
                .onSuccess(id -> {
                    if (id.isEmpty()) {
                        ctx.response().setStatusCode(204).end();
                    } else {
                        ctx.response().putHeader(InvokeApi.ACTIVATION_ID_HEADER, id.get().value());
                        ApiContext.json(ctx, 202, Json.object().put("activationId", id.get().value()));
                    }
                }).onFailure(ctx::fail);
    }

    /**
     * The trigger activation id of a fire. Hook for idempotency: a fire carrying {@value #IDEMPOTENCY_KEY_HEADER}
     * should map the key (per namespace) to the id of the first fire with it and answer with that id again; the
     * processing side already treats a repeated id as the same fire (see {@code TriggerFires#fire}). Until the
     * idempotency store is wired here, every fire gets a fresh id.
     */
    private static ActivationId triggerActivationId(RoutingContext ctx) {
        return ActivationId.generate();
    }

    private Future<TriggerStore.Stored<WhiskTrigger>> required(EntityPath path) {
        return triggers.getTrigger(path).compose(s -> s.isPresent() ? Future.succeededFuture(s.get())
                : Future.failedFuture(WispException.notFound("The requested resource does not exist.")));
    }

    private static EntityPath path(RoutingContext ctx) {
        return EntityPath.of(ApiContext.namespace(ctx), EntityName.require("trigger", ctx.pathParam("name")));
    }
}
