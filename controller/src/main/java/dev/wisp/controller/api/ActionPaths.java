package dev.wisp.controller.api;

import dev.wisp.common.entity.EntityName;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.error.WispException;
import dev.wisp.controller.entity.ActionResolver;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * Resolves {@code /namespaces/{ns}/actions/{name}} and {@code /actions/{pkg}/{name}} to an entity path, checking
 * each name against OpenWhisk's rule, and the namespace against the caller for writes.
 */
final class ActionPaths {
    private ActionPaths() {
    }

    /**
     * The path of an action the caller writes.
     *
     * @throws WispException FORBIDDEN for another namespace, BAD_REQUEST for a bad name
     */
    static EntityPath of(RoutingContext ctx) {
        return path(ctx, ApiContext.namespace(ctx));
    }

    /**
     * The path of an action the caller reads or invokes, possibly in another namespace's published package.
     *
     * @throws WispException BAD_REQUEST for a bad name
     */
    static EntityPath readable(RoutingContext ctx) {
        return path(ctx, ApiContext.anyNamespace(ctx));
    }

    private static EntityPath path(RoutingContext ctx, String namespace) {
        String pkg = ctx.pathParam("pkg");
        if (pkg != null) {
            EntityName.require("package", pkg);
        }
        return new EntityPath(namespace, pkg, EntityName.require("action", ctx.pathParam("name")));
    }

    /**
     * Fails with NOT_FOUND when the path names a package that does not exist, BAD_REQUEST when it names a
     * binding (actions live in the package a binding refers to).
     */
    static Future<Void> packageExists(ActionResolver resolver, EntityPath path) {
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
