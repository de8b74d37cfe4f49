package dev.wisp.controller.api.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.EntityName;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Identity;
import dev.wisp.common.entity.KeyValue;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.entity.WhiskPackage;
import dev.wisp.common.error.WispException;
import dev.wisp.controller.api.request.ApiContext;
import dev.wisp.controller.api.request.EntityFields;
import dev.wisp.controller.api.request.ListParams;
import dev.wisp.controller.cache.Invalidations;
import dev.wisp.controller.entity.ActionResolver;
import dev.wisp.controller.store.EntityStore;
import dev.wisp.controller.store.PackageStore;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;


/**
 * {@code /namespaces/{ns}/packages[/{name}]}: packages and bindings. Create or update (PUT, {@code overwrite}),
 * read (with the package's actions; a binding shows the bound package's actions and parameters under its own),
 * delete (a package with actions only with {@code force=true}, which deletes them too) and list. Another
 * namespace's packages can be read and listed when published. A binding that would close a sequence cycle
 * (see {@link SequenceChecks}) is refused.
 */
public final class PackagesApi extends EntityResource<PackagesApi.Listed, PackageStore.Stored> {
    /** Packages' actions shown by GET and deleted by a forced DELETE, per store round trip. */
    private static final int PAGE = 200;

    private final PackageStore packages;
    private final EntityStore entities;
    private final ActionResolver resolver;
    private final Invalidations invalidations;
    private final SequenceChecks sequences;

    /** What a list reads: a namespace's packages, or only its published ones (always so for another's). */
    record Listed(String namespace, boolean publishedOnly) {
    }

    public PackagesApi(PackageStore packages, EntityStore entities, ActionResolver resolver,
                       Invalidations invalidations, SequenceChecks sequences) {
        super("packages", "package");
        this.packages = packages;
        this.entities = entities;
        this.resolver = resolver;
        this.invalidations = invalidations;
        this.sequences = sequences;
    }

    @Override
    protected Listed scope(RoutingContext ctx) {
        String namespace = ApiContext.anyNamespace(ctx);
        boolean own = namespace.equals(ApiContext.identity(ctx).namespace());
        return new Listed(namespace, !own || ApiContext.flag(ctx, "public", false));
    }

    @Override
    protected Future<Long> count(Listed scope) {
        return packages.count(scope.namespace(), scope.publishedOnly());
    }

    @Override
    protected Future<List<ObjectNode>> page(Listed scope, ListParams p) {
        return packages.list(scope.namespace(), scope.publishedOnly(), p.skip(), p.limit())
                .map(list -> list.stream().map(Briefs::pkg).toList());
    }

    /** Another namespace's package can be read (when published); one is written only in the caller's own. */
    @Override
    protected EntityPath path(RoutingContext ctx, boolean write) {
        return EntityPath.of(write ? ApiContext.namespace(ctx) : ApiContext.anyNamespace(ctx), name(ctx));
    }

    @Override
    protected Future<Optional<PackageStore.Stored>> find(EntityPath path) {
        return packages.get(path);
    }

    @Override
    protected Future<?> read(RoutingContext ctx, EntityPath path) {
        Identity caller = ApiContext.identity(ctx);
        return resolver.readablePackage(caller, path).compose(pkg -> {
            if (!pkg.hasBinding()) {
                return withActions(pkg, pkg);
            }
            return resolver.boundPackage(caller, pkg).compose(bound -> withActions(inherit(pkg, bound), bound));
        });
    }

    /** The binding with the bound package's parameters under its own, as OpenWhisk shows it. */
    private static WhiskPackage inherit(WhiskPackage binding, WhiskPackage bound) {
        Map<String, KeyValue> merged = new LinkedHashMap<>();
        bound.parameters().forEach(kv -> merged.put(kv.key(), kv));
        binding.parameters().forEach(kv -> merged.put(kv.key(), kv));
        return new WhiskPackage(binding.namespace(), binding.name(), binding.version(), binding.publish(),
                binding.binding(), binding.annotations(), List.copyOf(merged.values()), binding.updated());
    }

    private Future<ObjectNode> withActions(WhiskPackage shown, WhiskPackage owner) {
        return packages.actions(owner.path(), 0, 10_000).map(actions -> {
            ObjectNode json = (ObjectNode) Json.toTree(shown);
            Briefs.packageActions(json, actions);
            return json;
        });
    }

    @Override
    protected Function<Optional<PackageStore.Stored>, Future<?>> writer(RoutingContext ctx, EntityPath path,
                                                                        ObjectNode body) {
        if (path.name().equals("default")) {
            throw WispException.badRequest("Package name 'default' is reserved.");
        }
        Identity caller = ApiContext.identity(ctx);
        WhiskPackage.Binding binding = binding(caller, body.get("binding"));
        return existing -> {
            WhiskPackage old = existing.map(PackageStore.Stored::pkg).orElse(null);
            if (old != null && binding != null && !old.hasBinding()) {
                return Future.failedFuture(WispException.conflict("Resource is a package, not a binding; it"
                        + " cannot become one."));
            }
            // a binding, new or re-pointed, must not close a cycle through the sequences of the package it binds
            Future<Void> checked = binding == null ? Future.succeededFuture() : checkBinding(caller, binding)
                    .compose(v -> sequences.checkBinding(caller, path,
                            EntityPath.of(binding.namespace(), binding.name())));
            return checked.compose(v -> {
                WhiskPackage pkg = build(path, body, binding, old);
                return packages.put(path, pkg, existing.map(PackageStore.Stored::revision).orElse(null))
                        .compose(rev -> invalidations.changed(path)).map(x -> pkg);
            });
        };
    }

    private static WhiskPackage.Binding binding(Identity caller, JsonNode node) {
        if (node == null || node.isNull() || (node.isObject() && node.isEmpty())) {
            return null;
        }
        if (!node.isObject() || !node.path("namespace").isTextual() || !node.path("name").isTextual()) {
            throw WispException.badRequest("The field 'binding' must be an object {\"namespace\", \"name\"} naming"
                    + " the package to bind.");
        }
        String ns = node.get("namespace").asText();
        ns = ns.equals("_") ? caller.namespace() : EntityName.require("namespace", ns);
        return new WhiskPackage.Binding(ns, EntityName.require("package", node.get("name").asText()));
    }

    /** The package a binding names must exist, not be a binding itself, and be readable by the caller. */
    private Future<Void> checkBinding(Identity caller, WhiskPackage.Binding binding) {
        EntityPath target = EntityPath.of(binding.namespace(), binding.name());
        return packages.get(target).compose(found -> {
            boolean own = binding.namespace().equals(caller.namespace());
            if (found.isEmpty()) {
                return Future.failedFuture(own ? WispException.badRequest("Binding references a package that does"
                        + " not exist: '" + target + "'.") : forbidden(binding.namespace()));
            }
            if (!own && !found.get().pkg().publish()) {
                return Future.failedFuture(forbidden(binding.namespace()));
            }
            if (found.get().pkg().hasBinding()) {
                return Future.failedFuture(WispException.badRequest("Cannot bind to another package binding: '"
                        + target + "'."));
            }
            return Future.succeededFuture();
        });
    }

    private static WispException forbidden(String namespace) {
        return WispException.forbidden("The supplied authentication is not authorized to access '" + namespace
                + "'.");
    }

    private static WhiskPackage build(EntityPath path, ObjectNode body, WhiskPackage.Binding binding,
                                      WhiskPackage old) {
        List<KeyValue> parameters = EntityFields.parameters(body, old == null ? List.of() : old.parameters());
        List<KeyValue> annotations = new ArrayList<>(EntityFields.replacedAnnotations(body,
                old == null ? List.of() : old.annotations()));
        WhiskPackage.Binding b = binding != null ? binding : old == null ? WhiskPackage.Binding.NONE : old.binding();
        annotations.removeIf(kv -> kv.key().equals("binding"));
        if (b.isSet()) {
            annotations.add(new KeyValue("binding", Json.toTree(b)));
        }
        return new WhiskPackage(path.namespace(), path.name(),
                EntityFields.version(body, old == null ? null : old.version()),
                EntityFields.publish(body, old != null && old.publish()), b, annotations, parameters,
                System.currentTimeMillis());
    }

    /** A package with actions is deleted only with {@code force=true}, which deletes them first. */
    @Override
    protected Function<PackageStore.Stored, Future<?>> remover(RoutingContext ctx, EntityPath path) {
        boolean force = ApiContext.flag(ctx, "force", false);
        return s -> {
            Future<Void> emptied = s.pkg().hasBinding() ? Future.succeededFuture()
                    : packages.countActions(path).compose(n -> {
                        if (n == 0) {
                            return Future.succeededFuture();
                        }
                        if (!force) {
                            return Future.failedFuture(WispException.conflict("Package not empty (contains " + n
                                    + (n == 1 ? " entity" : " entities") + "); delete them first, or delete with"
                                    + " force=true to delete them with the package."));
                        }
                        return deleteActions(path);
                    });
            return emptied.compose(v -> packages.delete(path, s.revision()))
                    .compose(v -> invalidations.changed(path)).map(v -> s.pkg());
        };
    }

    /** Deletes every action of the package, a page at a time, each evicted from every controller's cache. */
    private Future<Void> deleteActions(EntityPath pkg) {
        return packages.actions(pkg, 0, PAGE).compose(page -> {
            if (page.isEmpty()) {
                return Future.succeededFuture();
            }
            Future<Void> chain = Future.succeededFuture();
            for (WhiskAction a : page) {
                EntityPath actionPath = new EntityPath(pkg.namespace(), pkg.name(), a.name());
                chain = chain.compose(v -> entities.getAction(actionPath)).compose(found -> found.isEmpty()
                        ? Future.<Void>succeededFuture()
                        : entities.deleteAction(actionPath, found.get().revision())
                        .recover(e -> e instanceof WispException w && w.status() == 404
                                ? Future.succeededFuture() : Future.failedFuture(e))
                        .compose(v -> invalidations.changed(actionPath)));
            }
            return chain.compose(v -> deleteActions(pkg));
        });
    }
}
