package dev.wisp.controller.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.config.Limits;
import dev.wisp.common.entity.Activation;
import dev.wisp.common.entity.ActivationResponse;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.error.WispException;
import dev.wisp.controller.activation.Invocations;
import dev.wisp.controller.store.EntityStore;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/** {@code /namespaces/{ns}/actions/{name}}: create, read, delete and invoke actions. */
final class ActionsApi {
    static final String ACTIVATION_ID_HEADER = "x-openwhisk-activation-id";

    private final EntityStore entities;
    private final Invocations invocations;
    private final Limits limits;
    private final ActionRequest requests;

    ActionsApi(EntityStore entities, Invocations invocations, Limits limits) {
        this.entities = entities;
        this.invocations = invocations;
        this.limits = limits;
        this.requests = new ActionRequest(limits);
    }

    private static EntityPath path(RoutingContext ctx) {
        return EntityPath.of(ApiContext.namespace(ctx), ActionRequest.name(ctx.pathParam("name")));
    }

    void put(RoutingContext ctx) {
        EntityPath path = path(ctx);
        boolean overwrite = ApiContext.flag(ctx, "overwrite", false);
        ObjectNode body = Json.parseUserObject(ApiContext.body(ctx));
        entities.getAction(path).compose(existing -> {
            if (existing.isPresent() && !overwrite) {
                return Future.failedFuture(WispException.conflict("resource already exists"));
            }
            WhiskAction action = requests.toAction(path.namespace(), path.name(), body,
                    existing.map(EntityStore.Stored::action).orElse(null));
            return entities.putAction(path, action, existing.map(EntityStore.Stored::revision).orElse(null))
                    .map(rev -> action);
        }).onSuccess(action -> ApiContext.json(ctx, 200, action)).onFailure(ctx::fail);
    }

    void get(RoutingContext ctx) {
        EntityPath path = path(ctx);
        boolean code = ApiContext.flag(ctx, "code", true);
        required(path).onSuccess(s -> ApiContext.json(ctx, 200, code ? s.action() : s.action().withoutCode()))
                .onFailure(ctx::fail);
    }

    void delete(RoutingContext ctx) {
        EntityPath path = path(ctx);
        required(path).compose(s -> entities.deleteAction(path, s.revision()).map(v -> s.action()))
                .onSuccess(a -> ApiContext.json(ctx, 200, a)).onFailure(ctx::fail);
    }

    void invoke(RoutingContext ctx) {
        EntityPath path = path(ctx);
        boolean blocking = ApiContext.flag(ctx, "blocking", false);
        boolean resultOnly = ApiContext.flag(ctx, "result", false);
        Duration wait = waitTime(ctx);
        byte[] raw = ApiContext.body(ctx);
        ObjectNode params = Json.parseUserObject(raw);
        required(path).compose(stored -> {
            int size = raw.length + Json.encode(stored.action().parameters()).length;
            if (size > limits.payloadBytes()) {
                return Future.failedFuture(WispException.tooLarge("The request content is " + size
                        + " bytes with the bound parameters, which exceeds the payload limit of "
                        + limits.payloadBytes() + " bytes."));
            }
            return invocations.invoke(ApiContext.tid(ctx), ApiContext.identity(ctx), path, stored, params,
                    blocking, wait);
        }).onSuccess(outcome -> {
            ctx.response().putHeader(ACTIVATION_ID_HEADER, outcome.activationId().value());
            if (!outcome.completed()) {
                ApiContext.json(ctx, 202, Json.object().put("activationId", outcome.activationId().value()));
                return;
            }
            Activation a = outcome.activation();
            ApiContext.json(ctx, status(a.response()), resultOnly ? a.response().result() : a);
        }).onFailure(ctx::fail);
    }

    /** OpenWhisk's mapping of a blocking invoke's outcome to an HTTP status. */
    static int status(ActivationResponse response) {
        return switch (response.statusCode()) {
            case ActivationResponse.SUCCESS -> 200;
            case ActivationResponse.SYSTEM_ERROR -> 500;
            default -> 502;
        };
    }

    private Duration waitTime(RoutingContext ctx) {
        String t = ctx.queryParams().get("timeout");
        long max = limits.blockingWait().toMillis();
        if (t == null) {
            return limits.blockingWait();
        }
        try {
            long ms = Long.parseLong(t);
            if (ms <= 0 || ms > max) {
                throw WispException.badRequest("The timeout query parameter must be between 1 and " + max
                        + " milliseconds, got " + ms + ".");
            }
            return Duration.ofMillis(ms);
        } catch (NumberFormatException e) {
            throw WispException.badRequest("The timeout query parameter must be an integer number of milliseconds.");
        }
    }

    private Future<EntityStore.Stored> required(EntityPath path) {
        return entities.getAction(path).compose(s -> s.isPresent() ? Future.succeededFuture(s.get())
                : Future.failedFuture(WispException.notFound("The requested resource does not exist.")));
    }
}
