package dev.wisp.controller.entity;

import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Identity;
import dev.wisp.common.entity.KeyValue;
import dev.wisp.common.entity.WhiskPackage;
import dev.wisp.common.error.WispException;
import dev.wisp.controller.cache.EntityCache;
import dev.wisp.controller.store.EntityStore;
import dev.wisp.controller.store.PackageStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the action behind a path through the caches, following a package binding to the package it binds, and
 * checks that the caller may read it: anything in the caller's own namespace, and in another namespace only
 * the actions of a published package (or of a published binding to a package its owner or the caller may
 * read). Actions outside packages are never shared.
 */
public final class ActionResolver {
    private final EntityCache<EntityStore.Stored> actions;
    private final EntityCache<PackageStore.Stored> packages;

    public ActionResolver(EntityCache<EntityStore.Stored> actions, EntityCache<PackageStore.Stored> packages) {
        this.actions = Objects.requireNonNull(actions, "actions");
        this.packages = Objects.requireNonNull(packages, "packages");
    }

    /**
     * The action a caller named.
     *
     * @return fails with FORBIDDEN when the caller may not read it, NOT_FOUND when it or its package is missing
     */
    public Future<ResolvedAction> resolve(Identity caller, EntityPath requested) {
        boolean own = requested.namespace().equals(caller.namespace());
        if (requested.packageName() == null) {
            if (!own) {
                return Future.failedFuture(forbidden(requested.namespace()));
            }
            return action(requested, List.of());
        }
        EntityPath pkgPath = EntityPath.of(requested.namespace(), requested.packageName());
        return readablePackage(caller, pkgPath).compose(pkg -> {
            if (!pkg.hasBinding()) {
                return action(requested, pkg.parameters());
            }
            return boundPackage(caller, pkg).compose(bound -> {
                List<KeyValue> inherited = new ArrayList<>(bound.parameters());
                inherited.addAll(pkg.parameters());
                return action(new EntityPath(bound.namespace(), bound.name(), requested.name()), inherited);
            });
        });
    }

    /**
     * The package a binding binds, as long as it may still be read through the binding: published, or in the
     * binding's or the caller's namespace. A binding made while a package was public shows nothing of it once
     * its owner unpublishes it.
     *
     * @return fails with NOT_FOUND when the bound package is gone (or is itself a binding), FORBIDDEN when it is
     *         no longer readable
     */
    public Future<WhiskPackage> boundPackage(Identity caller, WhiskPackage binding) {
        EntityPath target = EntityPath.of(binding.binding().namespace(), binding.binding().name());
        return packages.get(target).compose(found -> {
            if (found.isEmpty() || found.get().pkg().hasBinding()) {
                return Future.failedFuture(WispException.notFound("The package binding '"
                        + EntityPath.of(binding.namespace(), binding.name()) + "' refers to the package '" + target
                        + "', which does not exist."));
            }
            WhiskPackage bound = found.get().pkg();
            if (!bound.publish() && !bound.namespace().equals(binding.namespace())
                    && !bound.namespace().equals(caller.namespace())) {
                return Future.failedFuture(forbidden(bound.namespace()));
            }
            return Future.succeededFuture(bound);
        });
    }

    /**
     * A package or binding the caller may read: any of its own, a published one of another namespace.
     *
     * @return fails with NOT_FOUND (own namespace) or FORBIDDEN (another namespace, missing or not published)
     */
    public Future<WhiskPackage> readablePackage(Identity caller, EntityPath pkgPath) {
        boolean own = pkgPath.namespace().equals(caller.namespace());
        return packages.get(pkgPath).compose(found -> {
            if (found.isPresent() && (own || found.get().pkg().publish())) {
                return Future.succeededFuture(found.get().pkg());
            }
            return Future.failedFuture(own ? WispException.notFound("The package '" + pkgPath.name()
                    + "' does not exist.") : forbidden(pkgPath.namespace()));
        });
    }

    /** A package of the caller's own namespace through the cache, if it exists. */
    public Future<Optional<PackageStore.Stored>> ownPackage(EntityPath pkgPath) {
        return packages.get(pkgPath);
    }

    private Future<ResolvedAction> action(EntityPath path, List<KeyValue> inherited) {
        return actions.get(path).compose(found -> found.isPresent()
                ? Future.succeededFuture(new ResolvedAction(path, found.get(), inherited))
                : Future.failedFuture(WispException.notFound("The requested resource does not exist.")));
    }

    private static WispException forbidden(String namespace) {
        return WispException.forbidden("The supplied authentication is not authorized to access '" + namespace
                + "'.");
    }
}
