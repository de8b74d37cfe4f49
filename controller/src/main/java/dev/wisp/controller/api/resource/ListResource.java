package dev.wisp.controller.api.resource;

import dev.wisp.common.codec.Json;
import dev.wisp.controller.api.request.ApiContext;
import dev.wisp.controller.api.request.ListParams;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A collection of the REST API, listed at {@code GET /namespaces/{ns}/{collection}}: the paging parameters checked
 * ({@link ListParams}), then either the page or, with {@code count=true}, {@code {"<collection>": n}} (what is
 * left after {@code skip}). Every answer of a resource goes through {@link #answer}: 200 with the JSON body, or
 * the failure to the API's error handler (which gives a {@code WispException} its status).
 *
 * <p>A kind of collection supplies what differs: the scope a list reads (resolving {@code _} and checking that the
 * caller may read it, see {@link ApiContext#namespace}), how to count it and how to read one page of it. Most lists
 * are one namespace's entries straight from a store: such a kind passes a {@link #byNamespace} listing; the others
 * override
 * {@link #scope}, {@link #count} and {@link #page}.
 *
 * @param <Q> what a list reads: a namespace, or a narrower query
 */
public abstract class ListResource<Q> {
    private final String collection;
    private final boolean docs;
    private final Listing<Q> listing;

    /** A store's pages of one namespace's entries. */
    @FunctionalInterface
    public interface Pages<E> {
        Future<List<E>> page(String namespace, int skip, int limit);
    }

    /** How a collection is listed: its scope for a request, the count of a scope, a page of it. */
    public record Listing<Q>(Function<RoutingContext, Q> scope, Function<Q, Future<Long>> count,
                             BiFunction<Q, ListParams, Future<? extends List<?>>> page) {
    }

    /**
     * The list of the caller's namespace's entries (its own, or {@code _}), counted and paged by the store, each entry
     * shown as {@code brief} makes it.
     */
    public static <E> Listing<String> byNamespace(Function<String, Future<Long>> count, Pages<E> pages,
                                                  Function<? super E, ?> brief) {
        return new Listing<>(ApiContext::namespace, count, (namespace, p) -> pages.page(namespace, p.skip(),
                p.limit()).map(entries -> entries.stream().<Object>map(brief::apply).toList()));
    }

    /**
     * A collection whose kind overrides {@link #scope}, {@link #count} and {@link #page}.
     *
     * @param collection the collection's name, as the path and the count's answer spell it
     * @param docs       whether a list takes {@code docs=true} (whole documents instead of the brief forms)
     */
    protected ListResource(String collection, boolean docs) {
        this.collection = collection;
        this.docs = docs;
        this.listing = null;
    }

    /** A collection listed as {@code listing} says (see {@link #byNamespace}). */
    protected ListResource(String collection, Listing<Q> listing) {
        this.collection = collection;
        this.docs = false;
        this.listing = Objects.requireNonNull(listing, "listing");
    }

    /**
     * What the request lists, checked against the caller.
     *
     * @throws dev.wisp.common.error.WispException FORBIDDEN for a scope the caller may not read, BAD_REQUEST for a
     *                                             malformed one
     */
    protected Q scope(RoutingContext ctx) {
        return listing.scope().apply(ctx);
    }

    /** How many entries the scope holds. */
    protected Future<Long> count(Q scope) {
        return listing.count().apply(scope);
    }

    /** One page of the scope, each entry as the list shows it. */
    protected Future<? extends List<?>> page(Q scope, ListParams p) {
        return listing.page().apply(scope, p);
    }

    /** {@code GET /namespaces/{ns}/{collection}}. */
    public void list(RoutingContext ctx) {
        Q scope = scope(ctx);
        ListParams p = ListParams.of(ctx, collection, docs);
        answer(ctx, p.count() ? count(scope).map(n -> Json.object().put(collection, Math.max(0, n - p.skip())))
                : page(scope, p));
    }

    /** Answers 200 with the body as JSON once it is there, or fails the request with the reason. */
    protected static void answer(RoutingContext ctx, Future<?> body) {
        body.onSuccess(b -> ApiContext.json(ctx, 200, b)).onFailure(ctx::fail);
    }
}
