package dev.wisp.controller.api;

import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.Activation;
import dev.wisp.common.error.WispException;
import dev.wisp.common.message.ActivationId;
import dev.wisp.controller.store.ActivationStore;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/** {@code /namespaces/{ns}/activations/{id}} and its {@code /result} and {@code /logs}. */
final class ActivationsApi {
    private final ActivationStore activations;

    ActivationsApi(ActivationStore activations) {
        this.activations = activations;
    }

    void get(RoutingContext ctx) {
        find(ctx).onSuccess(a -> ApiContext.json(ctx, 200, a)).onFailure(ctx::fail);
    }

    void result(RoutingContext ctx) {
        find(ctx).onSuccess(a -> ApiContext.json(ctx, 200, a.response())).onFailure(ctx::fail);
    }

    void logs(RoutingContext ctx) {
        find(ctx).onSuccess(a -> ApiContext.json(ctx, 200, Json.object().set("logs", Json.toTree(a.logs()))))
                .onFailure(ctx::fail);
    }

    private Future<Activation> find(RoutingContext ctx) {
        String namespace = ApiContext.namespace(ctx);
        String id = ctx.pathParam("id");
        if (!ActivationId.isValid(id)) {
            return Future.failedFuture(WispException.badRequest("The activation id '" + shorten(id)
                    + "' is not valid: an activation id is 32 hexadecimal digits."));
        }
        return activations.get(id).compose(a -> a.isPresent() && a.get().namespace().equals(namespace)
                ? Future.succeededFuture(a.get())
                : Future.failedFuture(WispException.notFound("The requested resource does not exist.")));
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
