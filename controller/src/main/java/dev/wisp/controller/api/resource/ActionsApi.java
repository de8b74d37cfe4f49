package dev.wisp.controller.api.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.config.Limits;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Identity;
import dev.wisp.common.entity.Kinds;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.entity.WhiskPackage;
import dev.wisp.controller.api.request.ActionPaths;
import dev.wisp.controller.api.request.ActionRequest;
import dev.wisp.controller.api.request.ApiContext;
import dev.wisp.controller.api.request.ListParams;
import dev.wisp.controller.cache.Invalidations;
import dev.wisp.controller.entity.ActionResolver;
import dev.wisp.controller.store.EntityStore;
import dev.wisp.controller.store.PackageStore;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code /namespaces/{ns}/actions[/{pkg}]/{name}}: list, create or update, read and delete actions. Reads go
 * through the entity cache (and through package bindings, showing the inherited parameters); a write goes to
 * the store and then evicts the entity in every controller. An action in a package needs the package. A
 * package's actions are listed at {@code /actions/{pkg}/} (or {@code /namespaces/ns%2Fpkg/actions}), a binding's
 * being those of the package it binds, as OpenWhisk lists them.
 */
public final class ActionsApi extends EntityResource<ActionsApi.Listed, EntityStore.Stored> {
    private final EntityStore entities;
    private final PackageStore packages;
    private final ActionResolver resolver;
    private final Invalidations invalidations;
    private final ActionRequest requests;
    private final SequenceChecks sequences;

    /** What a list reads: a namespace's actions, or (with {@code pkg}) a package's as {@code caller} may read them. */
    record Listed(String namespace, EntityPath pkg, Identity caller) {
    }

    public ActionsApi(EntityStore entities, PackageStore packages, ActionResolver resolver,
                      Invalidations invalidations, Limits limits, SequenceChecks sequences) {
        super("actions", "action");
        this.entities = entities;
        this.packages = packages;
        this.resolver = resolver;
        this.invalidations = invalidations;
        this.requests = new ActionRequest(limits);
        this.sequences = sequences;
    }

    @Override
    protected Listed scope(RoutingContext ctx) {
        EntityPath pkg = ActionPaths.listedPackage(ctx);
        return pkg != null ? new Listed(null, pkg, ApiContext.identity(ctx))
                : new Listed(ApiContext.namespace(ctx), null, null);
    }

    @Override
    protected Future<Long> count(Listed scope) {
        return scope.pkg() == null ? entities.countActions(scope.namespace())
                : owner(scope).compose(owner -> packages.countActions(owner.path()));
    }

    @Override
    protected Future<List<Object>> page(Listed scope, ListParams p) {
        Future<List<WhiskAction>> page = scope.pkg() == null
                ? entities.listActions(scope.namespace(), p.skip(), p.limit())
                : owner(scope).compose(owner -> packages.actions(owner.path(), p.skip(), p.limit()));
        return page.map(list -> list.stream().<Object>map(Briefs::action).toList());
    }

    /** The package whose actions a package's list shows: the package the caller may read, or the one it binds. */
    private Future<WhiskPackage> owner(Listed scope) {
        return resolver.readablePackage(scope.caller(), scope.pkg()).compose(pkg -> pkg.hasBinding()
                ? resolver.boundPackage(scope.caller(), pkg) : Future.succeededFuture(pkg));
    }

    @Override
    protected EntityPath path(RoutingContext ctx, boolean write) {
        return write ? ActionPaths.of(ctx) : ActionPaths.readable(ctx);
    }

    @Override
    protected Future<Optional<EntityStore.Stored>> find(EntityPath path) {
        return ActionPaths.packageExists(resolver, path).compose(v -> entities.getAction(path));
    }

    @Override
    protected Future<?> read(RoutingContext ctx, EntityPath path) {
        boolean code = ApiContext.flag(ctx, "code", true);
        return resolver.resolve(ApiContext.identity(ctx), path).map(r -> r.withBoundParameters())
                .map(a -> code ? a : a.withoutCode());
    }

    @Override
    protected Function<Optional<EntityStore.Stored>, Future<?>> writer(RoutingContext ctx, EntityPath path,
                                                                       ObjectNode body) {
        return existing -> {
            WhiskAction built = requests.toAction(path.parent(), path.name(), body,
                    existing.map(EntityStore.Stored::action).orElse(null));
            Future<WhiskAction> checked = Kinds.SEQUENCE.equals(built.exec().kind())
                    ? sequences.check(ApiContext.identity(ctx), path, built) : Future.succeededFuture(built);
            return checked.compose(action -> {
                long mark = invalidations.mark();
                return entities.putAction(path, action, existing.map(EntityStore.Stored::revision).orElse(null))
                        .compose(rev -> invalidations.changed(path, mark, EntityStore.asRead(action, rev)))
                        .map(v -> action);
            });
        };
    }

    @Override
    protected Function<EntityStore.Stored, Future<?>> remover(RoutingContext ctx, EntityPath path) {
        return s -> entities.deleteAction(path, s.revision()).compose(v -> invalidations.changed(path))
                .map(v -> s.action());
    }
}
