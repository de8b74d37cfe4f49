package dev.wisp.controller.api.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.config.Limits;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.WhiskTrigger;
import dev.wisp.common.error.WispException;
import dev.wisp.common.message.ActivationId;
import dev.wisp.controller.activation.IdempotencyKeys;
import dev.wisp.controller.alarm.AlarmTrigger;
import dev.wisp.controller.api.request.ApiContext;
import dev.wisp.controller.api.request.EntityFields;
import dev.wisp.controller.api.request.UserJson;
import dev.wisp.controller.store.TriggerStore;
import dev.wisp.controller.throttle.FireThrottle;
import dev.wisp.controller.trigger.TriggerFires;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code /namespaces/{ns}/triggers[/{name}]}: list, create or update, read, delete, and {@code POST} to fire:
 * 202 {@code {"activationId"}} once the fire is durable in Kafka, 204 when no rule is active, 429 over the
 * namespace's fires per minute. A fire repeated with the same {@code Idempotency-Key} (and the same trigger and
 * parameters) is answered with the first one's activation id and not processed again; 422 for other parameters.
 */
public final class TriggersApi extends EntityResource<String, TriggerStore.Stored<WhiskTrigger>> {
    /** Set before a trigger's path in a key's fingerprint, so an action and a trigger of one name differ. */
    private static final String FINGERPRINT_PREFIX = "trigger:";

    private final TriggerStore.Docs<WhiskTrigger> triggers;
    private final TriggerFires fires;
    private final FireThrottle throttle;
    private final Limits limits;
    private final IdempotencyKeys keys;

    public TriggersApi(TriggerStore triggers, TriggerFires fires, FireThrottle throttle, Limits limits,
                       IdempotencyKeys keys) {
        super("triggers", "trigger", byNamespace(triggers.triggers()::count, triggers.triggers()::page,
                Briefs::trigger));
        this.keys = keys;
        this.triggers = triggers.triggers();
        this.fires = fires;
        this.throttle = throttle;
        this.limits = limits;
    }

    @Override
    protected Future<Optional<TriggerStore.Stored<WhiskTrigger>>> find(EntityPath path) {
        return triggers.get(path);
    }

    @Override
    protected Future<?> read(RoutingContext ctx, EntityPath path) {
        return required(path).map(TriggerStore.Stored::entity);
    }

    @Override
    protected Function<Optional<TriggerStore.Stored<WhiskTrigger>>, Future<?>> writer(RoutingContext ctx,
                                                                                      EntityPath path,
                                                                                      ObjectNode body) {
        return existing -> {
            WhiskTrigger t = toTrigger(path, body, existing.map(TriggerStore.Stored::entity).orElse(null));
            return triggers.put(path, t, existing.map(TriggerStore.Stored::revision).orElse(null))
                    .map(r -> t);
        };
    }

    private WhiskTrigger toTrigger(EntityPath path, ObjectNode body, WhiskTrigger old) {
        var parameters = EntityFields.parameters(body, old == null ? List.of() : old.parameters());
        var annotations = EntityFields.annotations(body, old == null ? List.of() : old.annotations());
        AlarmTrigger.validate(path, parameters, annotations);
        EntityFields.checkBoundSize(parameters, annotations, limits);
        return new WhiskTrigger(path.namespace(), path.name(), EntityFields.version(body, old == null ? null
                : old.version()), EntityFields.publish(body, old != null && old.publish()), parameters, annotations,
                old == null ? null : old.limits(), old == null ? Map.of() : old.rules(), System.currentTimeMillis());
    }

    @Override
    protected Function<TriggerStore.Stored<WhiskTrigger>, Future<?>> remover(RoutingContext ctx, EntityPath path) {
        return s -> triggers.delete(path, s.revision()).map(v -> s.entity());
    }

    /** {@code POST}: fires the trigger. */
    public void fire(RoutingContext ctx) {
        EntityPath path = path(ctx, true);
        byte[] raw = ApiContext.body(ctx);
        if (raw.length > limits.payloadBytes()) {
            throw WispException.tooLarge("The request content is " + raw.length + " bytes, which exceeds the"
                    + " payload limit of " + limits.payloadBytes() + " bytes.");
        }
        ObjectNode params = UserJson.object(raw);
        String key = IdempotencyKeys.validate(ctx.request().getHeader(IdempotencyKeys.HEADER));
        Future<Optional<ActivationId>> fired;
        if (key == null) {
            throttle.acquire(path.namespace(), ApiContext.limits(ctx), System.currentTimeMillis());
            fired = fires.fire(ApiContext.tid(ctx), ApiContext.identity(ctx), path, params, ActivationId.generate());
        } else {
            fired = keys.claim(path.namespace(), key, IdempotencyKeys.fingerprint(FINGERPRINT_PREFIX + path.docId(),
                    params)).compose(claim -> claim.owner() ? fireOnce(ctx, path, params, claim)
                    : Future.succeededFuture(Optional.of(claim.activationId())));
        }
        fired.onSuccess(id -> {
            if (id.isEmpty()) {
                ctx.response().setStatusCode(204).end();
            } else {
                ctx.response().putHeader(InvokeApi.ACTIVATION_ID_HEADER, id.get().value());
                ApiContext.json(ctx, 202, Json.object().put("activationId", id.get().value()));
            }
        }).onFailure(ctx::fail);
    }

    /**
     * The first fire with an {@value IdempotencyKeys#HEADER}: fired with the claimed id as its trigger activation
     * id. The key is given up when nothing was published (throttled, no such trigger, no active rule); when Kafka's
     * answer is unknown it is kept, and a repeat after the bound publishes the same id again, which the fire's
     * processing recognises (a fire whose trigger record exists is not processed again).
     */
    private Future<Optional<ActivationId>> fireOnce(RoutingContext ctx, EntityPath path, ObjectNode params,
                                                    IdempotencyKeys.Claim claim) {
        try {
            throttle.acquire(path.namespace(), ApiContext.limits(ctx), System.currentTimeMillis());
        } catch (WispException e) {
            return keys.release(claim).transform(v -> Future.failedFuture(e));
        }
        return fires.fire(ApiContext.tid(ctx), ApiContext.identity(ctx), path, params, claim.activationId())
                .transform(ar -> {
                    if (ar.succeeded() && ar.result().isPresent()) {
                        return keys.published(claim).transform(v -> Future.succeededFuture(ar.result()));
                    }
                    boolean notSent = ar.succeeded() || ar.cause() instanceof WispException w && w.getCause() == null;
                    if (!notSent) {
                        return Future.failedFuture(ar.cause());
                    }
                    return keys.release(claim).transform(v -> ar.succeeded() ? Future.succeededFuture(ar.result())
                            : Future.failedFuture(ar.cause()));
                });
    }
}
