package dev.wisp.controller.api.request;

import dev.wisp.common.entity.EntityName;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.error.WispException;
import dev.wisp.controller.entity.ActionResolver;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * Resolves {@code /namespaces/{ns}/actions/{name}} and {@code /actions/{pkg}/{name}} to an entity path, checking
 * each name against OpenWhisk's rule, and the namespace against the caller for writes. As in OpenWhisk, the
 * namespace segment may itself be a package's path, {@code ns/pkg} (sent as {@code ns%2Fpkg}):
 * {@code /namespaces/ns%2Fpkg/actions/name} is the action {@code name} of package {@code pkg}. The npm client sends
 * that for an action taken from a list, whose {@code namespace} is {@code ns/pkg} (Adobe's
 * {@code aio runtime package delete --recursive} deletes a package's actions so).
 */
public final class ActionPaths {
    private ActionPaths() {
    }

    /**
     * The path of an action the caller writes.
     *
     * @throws WispException FORBIDDEN for another namespace, BAD_REQUEST for a bad name
     */
    public static EntityPath of(RoutingContext ctx) {
        return path(ctx, true);
    }

    /**
     * The path of an action the caller reads or invokes, possibly in another namespace's published package.
     *
     * @throws WispException BAD_REQUEST for a bad name
     */
    public static EntityPath readable(RoutingContext ctx) {
        return path(ctx, false);
    }

    /**
     * The package whose actions a list names, or null for a namespace's list: {@code /actions/{pkg}/} or
     * {@code /namespaces/ns%2Fpkg/actions}, either in the caller's namespace or another's (the handler checks that
     * the caller may read the package).
     *
     * @throws WispException BAD_REQUEST for a bad name
     */
    public static EntityPath listedPackage(RoutingContext ctx) {
        Segment segment = Segment.parse(ctx.pathParam("ns"));
        String pkg = segment.pkg() != null ? segment.pkg() : ctx.pathParam("pkg");
        if (segment.pkg() != null && ctx.pathParam("pkg") != null) {
            throw WispException.notFound("The requested resource does not exist.");
        }
        return pkg == null ? null
                : EntityPath.of(ApiContext.anyNamespace(ctx, segment.namespace()), EntityName.require("package", pkg));
    }

    private static EntityPath path(RoutingContext ctx, boolean write) {
        Segment segment = Segment.parse(ctx.pathParam("ns"));
        String pkg = ctx.pathParam("pkg");
        if (segment.pkg() != null) {
            if (pkg != null) {
                throw WispException.notFound("The requested resource does not exist.");
            }
            pkg = segment.pkg();
        }
        if (pkg != null) {
            EntityName.require("package", pkg);
        }
        String namespace = write ? ApiContext.namespace(ctx, segment.namespace())
                : ApiContext.anyNamespace(ctx, segment.namespace());
        return new EntityPath(namespace, pkg, EntityName.require("action", ctx.pathParam("name")));
    }

    /** A namespace segment of an action route: a namespace, and the package when it is {@code ns/pkg}. */
    record Segment(String namespace, String pkg) {
        /**
         * Splits a decoded namespace segment at its first slash.
         *
         * @throws WispException BAD_REQUEST when the package part is not a name (empty, or with another slash)
         */
        static Segment parse(String segment) {
            int slash = segment == null ? -1 : segment.indexOf('/');
            if (slash < 0) {
                return new Segment(segment, null);
            }
            return new Segment(segment.substring(0, slash),
                    EntityName.require("package", segment.substring(slash + 1)));
        }
    }

    /**
     * Fails with NOT_FOUND when the path names a package that does not exist, BAD_REQUEST when it names a
     * binding (actions live in the package a binding refers to).
     */
    public static Future<Void> packageExists(ActionResolver resolver, EntityPath path) {
        if (path.packageName() == null) {
            return Future.succeededFuture();
        }
        return resolver.ownPackage(EntityPath.of(path.namespace(), path.packageName())).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(WispException.notFound("The package '" + path.packageName()
                        + "' does not exist; create it first."));
            }
            if (found.get().pkg().hasBinding()) {
                return Future.failedFuture(WispException.badRequest("The package '" + path.packageName()
                        + "' is a binding; actions live in the package it binds."));
            }
            return Future.succeededFuture();
        });
    }
}
