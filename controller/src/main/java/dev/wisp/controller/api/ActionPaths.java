package dev.wisp.controller.api;

import dev.wisp.common.entity.EntityName;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.error.WispException;
import dev.wisp.controller.cache.EntityCache;
import dev.wisp.controller.store.EntityStore;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * Resolves {@code /namespaces/{ns}/actions/{name}} and {@code /actions/{pkg}/{name}} to an entity path,
 * checking the namespace against the caller and each name against OpenWhisk's rule. Packages arrive with
 * issue 7: until then an action inside a package is always answered 404.
 */
final class ActionPaths {
    private ActionPaths() {
    }

    /**
     * @throws WispException FORBIDDEN for another namespace, BAD_REQUEST for a bad name
     */
    static EntityPath of(RoutingContext ctx) {
        String namespace = ApiContext.namespace(ctx);
        String pkg = ctx.pathParam("pkg");
        if (pkg != null) {
            EntityName.require("package", pkg);
        }
        return new EntityPath(namespace, pkg, EntityName.require("action", ctx.pathParam("name")));
    }

    /** Fails with NOT_FOUND when the path names a package that does not exist. */
    static Future<Void> packageExists(EntityPath path) {
        if (path.packageName() == null) {
            return Future.succeededFuture();
        }
        return Future.failedFuture(WispException.notFound("The package '" + path.packageName()
                + "' does not exist."));
    }

    /** The action, through the cache; fails with NOT_FOUND when there is none. */
    static Future<EntityStore.Stored> required(EntityCache cache, EntityPath path) {
        return packageExists(path).compose(v -> cache.action(path)).compose(s -> s.isPresent()
                ? Future.succeededFuture(s.get())
                : Future.failedFuture(WispException.notFound("The requested resource does not exist.")));
    }
}
