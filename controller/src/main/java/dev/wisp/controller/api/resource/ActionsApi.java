package dev.wisp.controller.api.resource;

import dev.wisp.controller.api.request.ActionPaths;
import dev.wisp.controller.api.request.ActionRequest;
import dev.wisp.controller.api.request.ApiContext;
import dev.wisp.controller.api.request.ListParams;
import dev.wisp.controller.api.request.UserJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.config.Limits;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Identity;
import dev.wisp.common.entity.Kinds;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.error.WispException;
import dev.wisp.controller.cache.Invalidations;
import dev.wisp.controller.entity.ActionResolver;
import dev.wisp.controller.store.EntityStore;
import dev.wisp.controller.store.PackageStore;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /namespaces/{ns}/actions[/{pkg}]/{name}}: list, create or update, read and delete actions. Reads go
 * through the entity cache (and through package bindings, showing the inherited parameters); a write goes to
 * the store and then evicts the entity in every controller. An action in a package needs the package. A
 * package's actions are listed at {@code /actions/{pkg}/} (or {@code /namespaces/ns%2Fpkg/actions}), a binding's
 * being those of the package it binds, as OpenWhisk lists them.
 */
public final class ActionsApi {
    private final EntityStore entities;
    private final PackageStore packages;
    private final ActionResolver resolver;
    private final Invalidations invalidations;
    private final ActionRequest requests;
    private final SequenceChecks sequences;

    public ActionsApi(EntityStore entities, PackageStore packages, ActionResolver resolver, Invalidations invalidations,
               Limits limits, SequenceChecks sequences) {
        this.entities = entities;
        this.packages = packages;
        this.resolver = resolver;
        this.invalidations = invalidations;
        this.requests = new ActionRequest(limits);
        this.sequences = sequences;
    }

    public void list(RoutingContext ctx) {
        EntityPath pkg = ActionPaths.listedPackage(ctx);
        ListParams p = ListParams.of(ctx, "actions");
        if (pkg != null) {
            listPackage(ctx, pkg, p);
            return;
        }
        String namespace = ApiContext.namespace(ctx);
        if (p.count()) {
            entities.countActions(namespace)
                    .onSuccess(n -> ApiContext.json(ctx, 200, Json.object().put("actions", Math.max(0, n - p.skip()))))
                    .onFailure(ctx::fail);
            return;
        }
        entities.listActions(namespace, p.skip(), p.limit())
                .onSuccess(list -> ApiContext.json(ctx, 200, list.stream().map(Briefs::action).toList()))
                .onFailure(ctx::fail);
    }

    /** The actions of a package the caller may read (of the package it binds, for a binding). */
    private void listPackage(RoutingContext ctx, EntityPath path, ListParams p) {
        Identity caller = ApiContext.identity(ctx);
        resolver.readablePackage(caller, path)
                .compose(pkg -> pkg.hasBinding() ? resolver.boundPackage(caller, pkg) : Future.succeededFuture(pkg))
                .compose(owner -> p.count()
                        ? packages.countActions(owner.path())
                                .<Object>map(n -> Json.object().put("actions", Math.max(0, n - p.skip())))
                        : packages.actions(owner.path(), p.skip(), p.limit())
                                .<Object>map(list -> list.stream().map(Briefs::action).toList()))
                .onSuccess(body -> ApiContext.json(ctx, 200, body))
                .onFailure(ctx::fail);
    }

    public void put(RoutingContext ctx) {
        EntityPath path = ActionPaths.of(ctx);
        boolean overwrite = ApiContext.flag(ctx, "overwrite", false);
        ObjectNode body = UserJson.object(ApiContext.body(ctx));
        ActionPaths.packageExists(resolver, path).compose(v -> entities.getAction(path)).compose(existing -> {
            if (existing.isPresent() && !overwrite) {
                return Future.failedFuture(WispException.conflict("resource already exists"));
            }
            WhiskAction built = requests.toAction(path.parent(), path.name(), body,
                    existing.map(EntityStore.Stored::action).orElse(null));
            Future<WhiskAction> checked = Kinds.SEQUENCE.equals(built.exec().kind())
                    ? sequences.check(ApiContext.identity(ctx), path, built) : Future.succeededFuture(built);
            return checked.compose(action -> entities.putAction(path, action,
                            existing.map(EntityStore.Stored::revision).orElse(null))
                    .compose(rev -> invalidations.changed(path)).map(v -> action));
        }).onSuccess(action -> ApiContext.json(ctx, 200, action)).onFailure(ctx::fail);
    }

    public void get(RoutingContext ctx) {
        EntityPath path = ActionPaths.readable(ctx);
        boolean code = ApiContext.flag(ctx, "code", true);
        resolver.resolve(ApiContext.identity(ctx), path)
                .map(r -> r.withBoundParameters())
                .onSuccess(a -> ApiContext.json(ctx, 200, code ? a : a.withoutCode()))
                .onFailure(ctx::fail);
    }

    public void delete(RoutingContext ctx) {
        EntityPath path = ActionPaths.of(ctx);
        ActionPaths.packageExists(resolver, path).compose(v -> entities.getAction(path))
                .compose(s -> s.isPresent() ? Future.succeededFuture(s.get())
                        : Future.failedFuture(WispException.notFound("The requested resource does not exist.")))
                .compose(s -> entities.deleteAction(path, s.revision())
                        .compose(v -> invalidations.changed(path)).map(v -> s.action()))
                .onSuccess(a -> ApiContext.json(ctx, 200, a)).onFailure(ctx::fail);
    }
}
