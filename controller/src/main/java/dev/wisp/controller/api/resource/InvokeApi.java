package dev.wisp.controller.api.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.config.Limits;
import dev.wisp.common.entity.Activation;
import dev.wisp.common.entity.ActivationResponse;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Kinds;
import dev.wisp.common.error.WispException;
import dev.wisp.controller.activation.IdempotencyKeys;
import dev.wisp.controller.activation.Invocations;
import dev.wisp.controller.activation.Sequences;
import dev.wisp.controller.api.request.ActionPaths;
import dev.wisp.controller.api.request.ApiContext;
import dev.wisp.controller.api.request.UserJson;
import dev.wisp.controller.entity.ActionResolver;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Set;

/**
 * {@code POST /namespaces/{ns}/actions[/{pkg}]/{name}}: invokes an action with OpenWhisk's {@code blocking},
 * {@code result} and {@code timeout} and its status codes: 200 (blocking, succeeded), 202 with the id
 * (non-blocking, or blocking past its wait), 502 (application or developer error), 500 (system error), 400
 * when it sets a parameter that the action's {@code final: true} fixes. With an {@code Idempotency-Key} header a
 * repeated request answers with the first one's activation.
 */
public final class InvokeApi {
    public static final String ACTIVATION_ID_HEADER = "x-openwhisk-activation-id";

    private final ActionResolver resolver;
    private final Invocations invocations;
    private final Sequences sequences;
    private final Limits limits;

    public InvokeApi(ActionResolver resolver, Invocations invocations, Sequences sequences, Limits limits) {
        this.resolver = resolver;
        this.invocations = invocations;
        this.sequences = sequences;
        this.limits = limits;
    }

    public void invoke(RoutingContext ctx) {
        EntityPath path = ActionPaths.readable(ctx);
        boolean blocking = ApiContext.flag(ctx, "blocking", false);
        boolean resultOnly = ApiContext.flag(ctx, "result", false);
        Duration wait = waitTime(ctx);
        String key = IdempotencyKeys.validate(ctx.request().getHeader(IdempotencyKeys.HEADER));
        byte[] raw = ApiContext.body(ctx);
        if (raw.length > limits.payloadBytes()) {
            throw tooLarge(raw.length);
        }
        ObjectNode params = UserJson.object(raw);
        resolver.resolve(ApiContext.identity(ctx), path).compose(action -> {
            Set<String> fixed = ActionAnnotations.finalParameters(action.withBoundParameters());
            if (!fixed.isEmpty() && params.properties().stream().anyMatch(p -> fixed.contains(p.getKey()))) {
                return Future.failedFuture(WispException.badRequest(ActionAnnotations.FINAL_VIOLATION));
            }
            int size = raw.length + Json.encode(action.boundParameters()).length;
            if (size > limits.payloadBytes()) {
                return Future.failedFuture(tooLarge(size));
            }
            if (Kinds.SEQUENCE.equals(action.action().exec().kind())) {
                return sequences.invoke(ApiContext.tid(ctx), ApiContext.identity(ctx), ApiContext.limits(ctx),
                        action, params, blocking, wait, key);
            }
            return invocations.invoke(ApiContext.tid(ctx), ApiContext.identity(ctx), ApiContext.limits(ctx),
                    action, params, blocking, wait, key);
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

    private WispException tooLarge(int size) {
        return WispException.tooLarge("The request content is " + size + " bytes with the bound parameters,"
                + " which exceeds the payload limit of " + limits.payloadBytes() + " bytes.");
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
        if (t == null || t.isEmpty()) {
            return limits.blockingWait();
        }
        long ms;
        try {
            ms = Long.parseLong(t.trim());
        } catch (NumberFormatException e) {
            ms = -1;
        }
        if (ms <= 0 || ms > max) {
            throw WispException.badRequest("Timeout must be number of milliseconds up to " + max + ", got '"
                    + ApiContext.shorten(t) + "'.");
        }
        return Duration.ofMillis(ms);
    }
}
