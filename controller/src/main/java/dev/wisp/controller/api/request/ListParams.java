package dev.wisp.controller.api.request;

import dev.wisp.common.error.WispException;
import io.vertx.ext.web.RoutingContext;

/**
 * The paging query parameters of a list, checked with OpenWhisk's messages: {@code limit} 0-200 (default 30,
 * 0 means the maximum), {@code skip} at least 0, {@code count} true or false, and, where the collection has whole
 * documents to show, {@code docs} true or false (not with {@code count}).
 */
public record ListParams(int skip, int limit, boolean count, boolean docs) {
    static final int DEFAULT_LIMIT = 30;
    static final int MAX_LIMIT = 200;

    /** The paging parameters of a collection without {@code docs}. */
    public static ListParams of(RoutingContext ctx, String collection) {
        return of(ctx, collection, false);
    }

    /** The paging parameters; {@code docs} is read only where {@code docsAllowed}. */
    public static ListParams of(RoutingContext ctx, String collection, boolean docsAllowed) {
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
        boolean count = ApiContext.flag(ctx, "count", false);
        boolean docs = docsAllowed && ApiContext.flag(ctx, "docs", false);
        if (count && docs) {
            throw WispException.badRequest("The parameter 'docs' is not permitted with 'count'.");
        }
        return new ListParams(skip, limit == 0 ? MAX_LIMIT : limit, count, docs);
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
