package dev.wisp.controller.api.request;

import dev.wisp.common.error.WispException;
import io.vertx.ext.web.RoutingContext;

/**
 * The paging query parameters of a list, checked with OpenWhisk's messages: {@code limit} 0-200 (default 30,
 * 0 means the maximum), {@code skip} at least 0, {@code count} true or false.
 */
public record ListParams(int skip, int limit, boolean count) {
    static final int DEFAULT_LIMIT = 30;
    static final int MAX_LIMIT = 200;

    public static ListParams of(RoutingContext ctx, String collection) {
        int limit = integer(ctx, "limit", DEFAULT_LIMIT, collection);
        if (limit < 0 || limit > MAX_LIMIT) {
            throw WispException.badRequest("The value '" + limit + "' is not in the range of 0 to " + MAX_LIMIT
                    + " for " + collection + ".");
        }
        int skip = integer(ctx, "skip", 0, collection);
        if (skip < 0) {
            throw WispException.badRequest("The value '" + skip + "' is not greater than or equal to 0 for "
                    + collection + ".");
        }
        return new ListParams(skip, limit == 0 ? MAX_LIMIT : limit, ApiContext.flag(ctx, "count", false));
    }

    private static int integer(RoutingContext ctx, String name, int fallback, String collection) {
        String v = ctx.queryParams().get(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw WispException.badRequest("The value '" + ApiContext.shorten(v) + "' is not an integer for "
                    + collection + ".");
        }
    }
}
