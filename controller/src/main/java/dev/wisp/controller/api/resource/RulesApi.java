package dev.wisp.controller.api.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.entity.EntityName;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.EntityRef;
import dev.wisp.common.entity.TriggerRule;
import dev.wisp.common.entity.WhiskRule;
import dev.wisp.common.entity.WhiskTrigger;
import dev.wisp.common.error.ErrorKind;
import dev.wisp.common.error.WispException;
import dev.wisp.controller.api.request.ApiContext;
import dev.wisp.controller.api.request.EntityFields;
import dev.wisp.controller.api.request.UserJson;
import dev.wisp.controller.entity.ActionResolver;
import dev.wisp.controller.store.TriggerStore;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code /namespaces/{ns}/rules[/{name}]}: list, create or update ({@code {"trigger", "action"}}, both must
 * exist), read, delete, and {@code POST {"status": "active"|"inactive"}}. A rule lives in its own document and in
 * its trigger's rules map; the map is written second on create and first on delete, so a fire never finds a rule
 * whose document is missing for long, and the status shown is always the map's.
 */
public final class RulesApi extends EntityResource<String, TriggerStore.Stored<WhiskRule>> {
    private final TriggerStore store;
    private final ActionResolver actions;

    public RulesApi(TriggerStore store, ActionResolver actions) {
        super("rules", "rule", byNamespace(store.rules()::count, store.rules()::page, rule -> rule));
        this.store = store;
        this.actions = actions;
    }

    @Override
    protected Future<Optional<TriggerStore.Stored<WhiskRule>>> find(EntityPath path) {
        return store.rules().get(path);
    }

    @Override
    protected Future<?> read(RoutingContext ctx, EntityPath path) {
        return required(path).compose(s -> withStatus(s.entity()));
    }

    @Override
    protected Function<Optional<TriggerStore.Stored<WhiskRule>>, Future<?>> writer(RoutingContext ctx,
                                                                                   EntityPath path,
                                                                                   ObjectNode body) {
        return existing -> {
            WhiskRule old = existing.map(TriggerStore.Stored::entity).orElse(null);
            EntityPath trigger = body.hasNonNull("trigger") ? reference(ctx, "trigger", body.get("trigger"), false)
                    : old == null ? missing("trigger") : old.trigger().toPath();
            EntityPath action = body.hasNonNull("action") ? reference(ctx, "action", body.get("action"), true)
                    : old == null ? missing("action") : old.action().toPath();
            String status = status(body, old == null || old.status() == null ? TriggerRule.ACTIVE : old.status());
            WhiskRule rule = new WhiskRule(path.namespace(), path.name(),
                    EntityFields.version(body, old == null ? null : old.version()),
                    EntityFields.publish(body, old != null && old.publish()), status, EntityRef.of(trigger),
                    EntityRef.of(action), EntityFields.annotations(body, old == null ? List.of() : old.annotations()),
                    System.currentTimeMillis());
            String shown = action.namespace().equals(path.namespace()) ? action.relative() : "/" + action.docId();
            return triggerExists(trigger).compose(v -> actions.resolve(ApiContext.identity(ctx), action).recover(e ->
                    Future.failedFuture(e instanceof WispException w && w.kind() == ErrorKind.NOT_FOUND
                            ? WispException.notFound("The action '" + shown + "' does not exist.")
                            : e instanceof WispException w && w.kind() == ErrorKind.FORBIDDEN
                            ? WispException.forbidden("The supplied authentication is not authorized to access the"
                            + " action '" + shown + "' (another namespace's action is readable only in a published"
                            + " package).") : e)))
                    .compose(a -> existing.isPresent() ? update(path, existing.get(), rule) : create(path, rule));
        };
    }

    /** The rule is taken off its trigger's map first, so that a fire never finds it without its document. */
    @Override
    protected Function<TriggerStore.Stored<WhiskRule>, Future<?>> remover(RoutingContext ctx, EntityPath path) {
        return s -> withStatus(s.entity()).compose(shown -> unlink(s.entity())
                .compose(v -> store.rules().delete(path, s.revision())).map(v -> shown));
    }

    private Future<WhiskRule> create(EntityPath path, WhiskRule rule) {
        return store.rules().put(path, rule, null).compose(rev -> link(rule)
                .recover(e -> store.rules().delete(path, rev).transform(ignored -> Future.failedFuture(e))))
                .map(t -> rule);
    }

    private Future<WhiskRule> update(EntityPath path, TriggerStore.Stored<WhiskRule> old, WhiskRule rule) {
        Future<Void> unlinked = old.entity().trigger().equals(rule.trigger()) ? Future.succeededFuture()
                : unlink(old.entity());
        return unlinked.compose(v -> store.rules().put(path, rule, old.revision())).compose(rev -> link(rule))
                .map(t -> rule);
    }

    private Future<WhiskTrigger> link(WhiskRule rule) {
        return store.updateRules(rule.trigger().toPath(), rules -> {
            rules.put(rule.qualifiedName(), new TriggerRule(rule.action(), rule.status()));
            return rules;
        });
    }

    /** Takes the rule off its trigger's map; a trigger that is gone has nothing to take off. */
    private Future<Void> unlink(WhiskRule rule) {
        return store.updateRules(rule.trigger().toPath(), rules -> {
            rules.remove(rule.qualifiedName());
            return rules;
        }).<Void>mapEmpty().recover(e -> e instanceof WispException w && w.kind() == ErrorKind.NOT_FOUND
                ? Future.succeededFuture() : Future.failedFuture(e));
    }

    /** {@code POST {"status": "active"|"inactive"}}: enables or disables the rule on its trigger. */
    public void setStatus(RoutingContext ctx) {
        EntityPath path = path(ctx, true);
        ObjectNode body = UserJson.object(ApiContext.body(ctx));
        if (!body.hasNonNull("status")) {
            throw WispException.badRequest("The request must set 'status' to \"active\" or \"inactive\".");
        }
        String status = status(body, null);
        required(path).compose(s -> {
            WhiskRule rule = s.entity().withStatus(status);
            return store.updateRules(rule.trigger().toPath(), rules -> {
                rules.put(rule.qualifiedName(), new TriggerRule(rule.action(), status));
                return rules;
            }).recover(e -> Future.failedFuture(e instanceof WispException w && w.kind() == ErrorKind.NOT_FOUND
                    ? new WispException(ErrorKind.CONFLICT, "The rule's trigger '" + rule.trigger().name()
                    + "' does not exist; the rule cannot change its status.") : e))
                    .compose(t -> store.rules().put(path, rule, s.revision()).map(rev -> rule));
        }).onSuccess(r -> ApiContext.json(ctx, 200, r)).onFailure(ctx::fail);
    }

    /** The rule with the status its trigger's map gives it ({@code inactive} when the trigger is gone). */
    private Future<WhiskRule> withStatus(WhiskRule rule) {
        return store.triggers().get(rule.trigger().toPath()).map(t -> rule.withStatus(t
                .map(s -> s.entity().rules().get(rule.qualifiedName()))
                .map(TriggerRule::status).orElse(TriggerRule.INACTIVE)));
    }

    private Future<Void> triggerExists(EntityPath trigger) {
        return store.triggers().get(trigger).compose(t -> t.isPresent() ? Future.succeededFuture()
                : Future.failedFuture(WispException.notFound("The trigger '" + trigger.name() + "' does not exist.")));
    }

    private static String status(ObjectNode body, String fallback) {
        JsonNode v = body.get("status");
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual() || !(v.asText().equals(TriggerRule.ACTIVE) || v.asText().equals(TriggerRule.INACTIVE))) {
            throw WispException.badRequest("The field 'status' must be \"active\" or \"inactive\", got "
                    + ApiContext.shorten(v.toString()) + ".");
        }
        return v.asText();
    }

    private static EntityPath missing(String field) {
        throw WispException.badRequest("The rule is missing its '" + field + "' field.");
    }

    /**
     * A trigger or action named as OpenWhisk clients send it: {@code name}, {@code pkg/name} (actions only),
     * {@code /ns/name} or {@code /ns/pkg/name}, where {@code _} is the caller's namespace. As in OpenWhisk, an
     * action may be another namespace's (the caller must be able to read it, which {@link ActionResolver} checks:
     * an action of a published package); a trigger of another namespace is never readable (FORBIDDEN).
     */
    static EntityPath reference(RoutingContext ctx, String field, JsonNode value, boolean packageAllowed) {
        if (!value.isTextual() || value.asText().isBlank()) {
            throw WispException.badRequest("The field '" + field + "' must be the name of a " + field + ".");
        }
        String own = ApiContext.identity(ctx).namespace();
        String text = value.asText();
        String namespace = own;
        String rest = text;
        if (text.startsWith("/")) {
            int slash = text.indexOf('/', 1);
            if (slash < 0) {
                throw WispException.badRequest("The " + field + " '" + ApiContext.shorten(text)
                        + "' must be /namespace/name.");
            }
            namespace = text.substring(1, slash);
            rest = text.substring(slash + 1);
            if (namespace.equals("_")) {
                namespace = own;
            } else if (!namespace.equals(own) && !packageAllowed) {
                throw WispException.forbidden("The supplied authentication is not authorized to access the "
                        + field + " '" + ApiContext.shorten(text) + "': triggers are never shared.");
            } else {
                EntityName.require("namespace", namespace);
            }
        }
        String[] parts = rest.split("/", -1);
        if (parts.length == 2 && packageAllowed) {
            return new EntityPath(namespace, EntityName.require("package", parts[0]),
                    EntityName.require(field, parts[1]));
        }
        if (parts.length != 1) {
            throw WispException.badRequest("The " + field + " '" + ApiContext.shorten(text) + "' is not a valid "
                    + field + " name.");
        }
        return EntityPath.of(namespace, EntityName.require(field, parts[0]));
    }
}
