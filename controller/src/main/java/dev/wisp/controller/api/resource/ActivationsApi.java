package dev.wisp.controller.api.resource;

import dev.wisp.controller.api.request.ApiContext;
import dev.wisp.controller.api.request.ListParams;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.Activation;
import dev.wisp.common.entity.EntityName;
import dev.wisp.common.error.WispException;
import dev.wisp.common.message.ActivationId;
import dev.wisp.controller.store.ActivationStore;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /namespaces/{ns}/activations}: the list (with OpenWhisk's {@code name}, {@code limit}, {@code skip},
 * {@code since}, {@code upto}, {@code docs} and {@code count}), one record, its {@code /result} and its
 * {@code /logs}.
 */
public final class ActivationsApi {
    private final ActivationStore activations;

    public ActivationsApi(ActivationStore activations) {
        this.activations = activations;
    }

    public void list(RoutingContext ctx) {
        String namespace = ApiContext.namespace(ctx);
        ListParams p = ListParams.of(ctx, "activations");
        boolean docs = ApiContext.flag(ctx, "docs", false);
        if (p.count() && docs) {
            throw WispException.badRequest("The parameter 'docs' is not permitted with 'count'.");
        }
        ActivationStore.Query q = new ActivationStore.Query(namespace, nameFilter(ctx),
                epoch(ctx, "since", 0), epoch(ctx, "upto", Long.MAX_VALUE));
        if (p.count()) {
            activations.count(q)
                    .onSuccess(n -> ApiContext.json(ctx, 200, Json.object().put("activations", Math.max(0, n - p.skip()))))
                    .onFailure(ctx::fail);
            return;
        }
        activations.list(q, p.skip(), p.limit())
                .onSuccess(list -> ApiContext.json(ctx, 200, list.stream()
                        .map(a -> docs ? (Object) a : Briefs.activation(a)).toList()))
                .onFailure(ctx::fail);
    }

    private static String nameFilter(RoutingContext ctx) {
        String name = ctx.queryParams().get("name");
        if (name == null || name.isBlank()) {
            return null;
        }
        String trimmed = name.trim();
        String[] parts = trimmed.split("/", -1);
        boolean valid = parts.length <= 2;
        for (String part : parts) {
            valid &= EntityName.isValid(part);
        }
        if (!valid) {
            throw WispException.badRequest("Parameter may be a 'simple' name or 'package-name/simple' name: "
                    + ApiContext.shorten(name));
        }
        return trimmed;
    }

    private static long epoch(RoutingContext ctx, String param, long fallback) {
        String v = ctx.queryParams().get(param);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw WispException.badRequest("Parameter '" + param + "' is not a valid value for epoch milliseconds: "
                + ApiContext.shorten(v));
    }

    public void get(RoutingContext ctx) {
        find(ctx).onSuccess(a -> ApiContext.json(ctx, 200, a)).onFailure(ctx::fail);
    }

    public void result(RoutingContext ctx) {
        find(ctx).onSuccess(a -> ApiContext.json(ctx, 200, a.response())).onFailure(ctx::fail);
    }

    public void logs(RoutingContext ctx) {
        find(ctx).onSuccess(a -> ApiContext.json(ctx, 200, Json.object().set("logs", Json.toTree(a.logs()))))
                .onFailure(ctx::fail);
    }

    private Future<Activation> find(RoutingContext ctx) {
        String namespace = ApiContext.namespace(ctx);
        String id = ctx.pathParam("id");
        if (!ActivationId.isValid(id)) {
            return Future.failedFuture(WispException.badRequest("The activation id '" + ApiContext.shorten(id)
                    + "' is not valid: an activation id is 32 hexadecimal digits."));
        }
        return activations.get(id).compose(a -> a.isPresent() && a.get().namespace().equals(namespace)
                ? Future.succeededFuture(a.get())
                : Future.failedFuture(WispException.notFound("The requested resource does not exist.")));
    }
}
