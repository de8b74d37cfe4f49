package dev.wisp.controller.api.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.entity.EntityName;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.error.WispException;
import dev.wisp.controller.api.request.ApiContext;
import dev.wisp.controller.api.request.UserJson;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.Function;

/**
 * A collection of named entities, {@code /namespaces/{ns}/{collection}/{name}}, with OpenWhisk's four verbs on
 * one entity: {@code GET} reads it; {@code PUT} creates it, or replaces it with {@code overwrite=true} (409
 * "resource already exists" without); {@code DELETE} deletes it and answers with what it was. A missing entity is
 * 404 "The requested resource does not exist.", as in OpenWhisk. Writes reach only the caller's own namespace.
 *
 * <p>A kind supplies what differs: how a request names an entity, how it is found in the store, what {@code GET}
 * shows, and how a write and a delete are done. {@link #writer} and {@link #remover} read what they need from the
 * request at once (so a malformed request is refused before the store is asked) and return the work to do once
 * the stored entity is known.
 *
 * @param <Q> what a list reads
 * @param <S> an entity as stored, with its revision
 */
public abstract class EntityResource<Q, S> extends ListResource<Q> {
    private final String noun;

    /**
     * A collection whose kind overrides the list's hooks.
     *
     * @param noun one entity of the collection, as error messages name it ({@code "package"})
     */
    protected EntityResource(String collection, String noun) {
        super(collection, false);
        this.noun = noun;
    }

    /** A collection listed as {@code listing} says. */
    protected EntityResource(String collection, String noun, Listing<Q> listing) {
        super(collection, listing);
        this.noun = noun;
    }

    /**
     * The entity a request names, {@code /namespaces/{ns}/{collection}/{name}}: by default one of the caller's
     * own namespace, for reads as for writes.
     *
     * @param write whether the request changes it: then only in the caller's own namespace
     * @throws WispException FORBIDDEN for a namespace the caller may not reach, BAD_REQUEST for a malformed name
     */
    protected EntityPath path(RoutingContext ctx, boolean write) {
        return EntityPath.of(ApiContext.namespace(ctx), name(ctx));
    }

    /** The entity's name in the path, checked. */
    protected final String name(RoutingContext ctx) {
        return EntityName.require(noun, ctx.pathParam("name"));
    }

    /** The stored entity, or empty when there is none (or when what it lives in is missing: then a failure). */
    protected abstract Future<Optional<S>> find(EntityPath path);

    /** What {@code GET} answers for the entity. */
    protected abstract Future<?> read(RoutingContext ctx, EntityPath path);

    /**
     * The write of a {@code PUT} with this body: given the stored entity (empty for a create), stores the new one
     * and yields what the answer shows.
     */
    protected abstract Function<Optional<S>, Future<?>> writer(RoutingContext ctx, EntityPath path, ObjectNode body);

    /** The delete of a {@code DELETE}: given the stored entity, deletes it and yields what the answer shows. */
    protected abstract Function<S, Future<?>> remover(RoutingContext ctx, EntityPath path);

    /** {@code GET /namespaces/{ns}/{collection}/{name}}. */
    public void get(RoutingContext ctx) {
        answer(ctx, read(ctx, path(ctx, false)));
    }

    /** {@code PUT /namespaces/{ns}/{collection}/{name}}, with {@code overwrite}. */
    public void put(RoutingContext ctx) {
        EntityPath path = path(ctx, true);
        boolean overwrite = ApiContext.flag(ctx, "overwrite", false);
        Function<Optional<S>, Future<?>> write = writer(ctx, path, UserJson.object(ApiContext.body(ctx)));
        answer(ctx, find(path).compose(existing -> existing.isPresent() && !overwrite
                ? Future.failedFuture(WispException.conflict("resource already exists"))
                : write.apply(existing).map(shown -> (Object) shown)));
    }

    /** {@code DELETE /namespaces/{ns}/{collection}/{name}}. */
    public void delete(RoutingContext ctx) {
        EntityPath path = path(ctx, true);
        Function<S, Future<?>> remove = remover(ctx, path);
        answer(ctx, required(path).compose(stored -> remove.apply(stored).map(shown -> (Object) shown)));
    }

    /** The stored entity, NOT_FOUND when there is none. */
    protected Future<S> required(EntityPath path) {
        return find(path).compose(found -> found.isPresent() ? Future.succeededFuture(found.get())
                : Future.failedFuture(WispException.notFound("The requested resource does not exist.")));
    }
}
