package dev.wisp.controller.api.resource;

import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.Activation;
import dev.wisp.common.entity.EntityName;
import dev.wisp.common.error.WispException;
import dev.wisp.common.message.ActivationId;
import dev.wisp.controller.api.request.ApiContext;
import dev.wisp.controller.api.request.ListParams;
import dev.wisp.controller.store.ActivationStore;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code /namespaces/{ns}/activations}: the list (with OpenWhisk's {@code name}, {@code limit}, {@code skip},
 * {@code since}, {@code upto}, {@code docs} and {@code count}), one record, its {@code /result} and its
 * {@code /logs}.
 */
public final class ActivationsApi extends ListResource<ActivationStore.Query> {
    private final ActivationStore activations;

    public ActivationsApi(ActivationStore activations) {
        super("activations", true);
        this.activations = activations;
    }

    @Override
    protected ActivationStore.Query scope(RoutingContext ctx) {
        return new ActivationStore.Query(ApiContext.namespace(ctx), nameFilter(ctx),
                epoch(ctx, "since", 0), epoch(ctx, "upto", Long.MAX_VALUE));
    }

    @Override
    protected Future<Long> count(ActivationStore.Query query) {
        return activations.count(query);
    }

    @Override
    protected Future<List<Object>> page(ActivationStore.Query query, ListParams p) {
        return activations.list(query, p.skip(), p.limit())
                .map(list -> list.stream().map(a -> p.docs() ? (Object) a : Briefs.activation(a)).toList());
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

    /** {@code GET /namespaces/{ns}/activations/{id}}. */
    public void get(RoutingContext ctx) {
        answer(ctx, find(ctx));
    }

    /** {@code GET .../activations/{id}/result}: the response alone. */
    public void result(RoutingContext ctx) {
        answer(ctx, find(ctx).map(Activation::response));
    }

    /** {@code GET .../activations/{id}/logs}: {@code {"logs": [...]}}. */
    public void logs(RoutingContext ctx) {
        answer(ctx, find(ctx).map(a -> Json.object().set("logs", Json.toTree(a.logs()))));
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
