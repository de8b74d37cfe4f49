package dev.wisp.controller.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.config.Limits;
import dev.wisp.common.entity.Activation;
import dev.wisp.common.entity.ActivationResponse;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.error.WispException;
import dev.wisp.controller.activation.IdempotencyKeys;
import dev.wisp.controller.activation.Invocations;
import dev.wisp.controller.cache.EntityCache;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * {@code POST /namespaces/{ns}/actions[/{pkg}]/{name}}: invokes an action with OpenWhisk's {@code blocking},
 * {@code result} and {@code timeout} and its status codes: 200 (blocking, succeeded), 202 with the id
 * (non-blocking, or blocking past its wait), 502 (application or developer error), 500 (system error). With an
 * {@code Idempotency-Key} header a repeated request answers with the first one's activation.
 */
final class InvokeApi {
    static final String ACTIVATION_ID_HEADER = "x-openwhisk-activation-id";

    private final EntityCache cache;
    private final Invocations invocations;
    private final Limits limits;

    InvokeApi(EntityCache cache, Invocations invocations, Limits limits) {
        this.cache = cache;
        this.invocations = invocations;
        this.limits = limits;
    }

    void invoke(RoutingContext ctx) {
        EntityPath path = ActionPaths.of(ctx);
        boolean blocking = ApiContext.flag(ctx, "blocking", false);
        boolean resultOnly = ApiContext.flag(ctx, "result", false);
        Duration wait = waitTime(ctx);
        String key = IdempotencyKeys.validate(ctx.request().getHeader(IdempotencyKeys.HEADER));
        byte[] raw = ApiContext.body(ctx);
        if (raw.length > limits.payloadBytes()) {
            throw tooLarge(raw.length);
        }
        ObjectNode params = UserJson.object(raw);
        ActionPaths.required(cache, path).compose(stored -> {
            int size = raw.length + Json.encode(stored.action().parameters()).length;
            if (size > limits.payloadBytes()) {
                return Future.failedFuture(tooLarge(size));
            }
            return invocations.invoke(ApiContext.tid(ctx), ApiContext.identity(ctx), ApiContext.limits(ctx), path,
                    stored, params, blocking, wait, key);
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
