package dev.wisp.controller.api.resource;

import dev.wisp.controller.api.request.ActionRequest;
import dev.wisp.controller.api.request.ApiContext;
import dev.wisp.controller.api.request.ListParams;
import dev.wisp.controller.api.request.UserJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.EntityName;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Identity;
import dev.wisp.common.entity.KeyValue;
import dev.wisp.common.entity.SemVer;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.entity.WhiskPackage;
import dev.wisp.common.error.WispException;
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


/**
 * {@code /namespaces/{ns}/packages[/{name}]}: packages and bindings. Create or update (PUT, {@code overwrite}),
 * read (with the package's actions; a binding shows the bound package's actions and parameters under its own),
 * delete (a package with actions only with {@code force=true}, which deletes them too) and list. Another
 * namespace's packages can be read and listed when published. A binding that would close a sequence cycle
 * (see {@link SequenceChecks}) is refused.
 */
public final class PackagesApi {
    /** Packages' actions shown by GET and deleted by a forced DELETE, per store round trip. */
    private static final int PAGE = 200;

    private final PackageStore packages;
    private final EntityStore entities;
    private final ActionResolver resolver;
    private final Invalidations invalidations;
    private final SequenceChecks sequences;

    public PackagesApi(PackageStore packages, EntityStore entities, ActionResolver resolver, Invalidations invalidations,
                SequenceChecks sequences) {
        this.packages = packages;
        this.entities = entities;
        this.resolver = resolver;
        this.invalidations = invalidations;
        this.sequences = sequences;
    }

    public void list(RoutingContext ctx) {
        String namespace = ApiContext.anyNamespace(ctx);
        ListParams p = ListParams.of(ctx, "packages");
        boolean own = namespace.equals(ApiContext.identity(ctx).namespace());
        boolean publishedOnly = !own || ApiContext.flag(ctx, "public", false);
        if (p.count()) {
            packages.count(namespace, publishedOnly)
                    .onSuccess(n -> ApiContext.json(ctx, 200, Json.object().put("packages", Math.max(0, n - p.skip()))))
                    .onFailure(ctx::fail);
            return;
        }
        packages.list(namespace, publishedOnly, p.skip(), p.limit())
                .onSuccess(list -> ApiContext.json(ctx, 200, list.stream().map(Briefs::pkg).toList()))
                .onFailure(ctx::fail);
    }

    public void get(RoutingContext ctx) {
        EntityPath path = EntityPath.of(ApiContext.anyNamespace(ctx), EntityName.require("package",
                ctx.pathParam("name")));
        Identity caller = ApiContext.identity(ctx);
        resolver.readablePackage(caller, path).compose(pkg -> {
            if (!pkg.hasBinding()) {
                return withActions(pkg, pkg);
            }
            return resolver.boundPackage(caller, pkg).compose(bound -> withActions(inherit(pkg, bound), bound));
        }).onSuccess(json -> ApiContext.json(ctx, 200, json)).onFailure(ctx::fail);
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

    public void put(RoutingContext ctx) {
        Identity caller = ApiContext.identity(ctx);
        String name = EntityName.require("package", ctx.pathParam("name"));
        if (name.equals("default")) {
            throw WispException.badRequest("Package name 'default' is reserved.");
        }
        EntityPath path = EntityPath.of(ApiContext.namespace(ctx), name);
        boolean overwrite = ApiContext.flag(ctx, "overwrite", false);
        ObjectNode body = UserJson.object(ApiContext.body(ctx));
        WhiskPackage.Binding binding = binding(caller, body.get("binding"));
        packages.get(path).compose(existing -> {
            if (existing.isPresent() && !overwrite) {
                return Future.failedFuture(WispException.conflict("resource already exists"));
            }
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
        }).onSuccess(pkg -> ApiContext.json(ctx, 200, pkg)).onFailure(ctx::fail);
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
        List<KeyValue> parameters = body.has("parameters") ? ActionRequest.keyValues("parameters",
                body.get("parameters")) : old == null ? List.of() : old.parameters();
        List<KeyValue> annotations = new ArrayList<>(body.has("annotations") ? ActionRequest.keyValues("annotations",
                body.get("annotations")) : old == null ? List.of() : old.annotations());
        WhiskPackage.Binding b = binding != null ? binding : old == null ? WhiskPackage.Binding.NONE : old.binding();
        annotations.removeIf(kv -> kv.key().equals("binding"));
        if (b.isSet()) {
            annotations.add(new KeyValue("binding", Json.toTree(b)));
        }
        boolean publish;
        if (body.hasNonNull("publish")) {
            if (!body.get("publish").isBoolean()) {
                throw WispException.badRequest("The field 'publish' must be true or false.");
            }
            publish = body.get("publish").booleanValue();
        } else {
            publish = old != null && old.publish();
        }
        SemVer version;
        try {
            version = body.hasNonNull("version") ? SemVer.parse(body.get("version").asText())
                    : old == null ? SemVer.INITIAL : old.version().bump();
        } catch (IllegalArgumentException e) {
            throw WispException.badRequest("The field 'version' must be a version such as \"0.0.1\".");
        }
        return new WhiskPackage(path.namespace(), path.name(), version, publish, b, annotations, parameters,
                System.currentTimeMillis());
    }

    public void delete(RoutingContext ctx) {
        EntityPath path = EntityPath.of(ApiContext.namespace(ctx), EntityName.require("package",
                ctx.pathParam("name")));
        boolean force = ApiContext.flag(ctx, "force", false);
        packages.get(path).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(WispException.notFound("The requested resource does not exist."));
            }
            PackageStore.Stored s = found.get();
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
        }).onSuccess(pkg -> ApiContext.json(ctx, 200, pkg)).onFailure(ctx::fail);
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
