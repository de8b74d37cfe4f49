package dev.wisp.controller.api.resource;

import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Exec;
import dev.wisp.common.entity.Identity;
import dev.wisp.common.entity.Kinds;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.error.ErrorKind;
import dev.wisp.common.error.WispException;
import dev.wisp.controller.activation.Sequences;
import dev.wisp.controller.api.request.ApiContext;
import dev.wisp.controller.entity.ActionResolver;
import dev.wisp.controller.entity.ResolvedAction;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps sequences free of cycles at every write that could close one, with one walk of the sequences a write
 * reaches (nested sequences expanded, components resolved through bindings as the caller may read them):
 *
 * <ul>
 *   <li>a sequence action (the only action write that adds an edge): every component exists and the caller may
 *       invoke it, the walk never comes back to an action already on its way (the sequence itself or any other),
 *       and the sequence runs at most {@link Sequences#MAX_LENGTH} actions and nests at most as many levels;</li>
 *   <li>a package binding, created or re-pointed: the walk starts at every sequence of the package it is to bind,
 *       with components under the binding resolved to that package rather than to what the binding binds now, and
 *       must not come back to an action on its way. Components the caller cannot read are not followed (they are
 *       another namespace's business, and its sequences' run-time bound still holds), and no limit applies, since
 *       the sequences that the binding lengthens are not the ones walked.</li>
 * </ul>
 *
 * A sequence's own component that the caller may not read is FORBIDDEN, as in OpenWhisk. A refusal is a
 * BAD_REQUEST naming the cycle, e.g. {@code /guest/p2/z -> /guest/x -> /guest/b/z -> /guest/p2/z}:
 * each step as the sequence before it names it, the last one the step it comes back to. Every action is walked
 * once per check (a second way to a finished one reuses its length), so the work is bounded by the actions
 * reached.
 */
public final class SequenceChecks {
    /** How many actions of the bound package are read per store round trip. */
    private static final int PAGE = 200;

    /** One page of a package's actions (with their components), as {@code PackageStore#actions} lists them. */
    @FunctionalInterface
    public interface PackageActions {
        Future<List<WhiskAction>> page(EntityPath pkg, int skip, int limit);
    }

    private final ActionResolver resolver;
    private final PackageActions packageActions;

    public SequenceChecks(ActionResolver resolver, PackageActions packageActions) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.packageActions = Objects.requireNonNull(packageActions, "packageActions");
    }

    /**
     * Checks a sequence action before it is stored.
     *
     * @return the action with its components fully qualified ({@code _} replaced by the caller's namespace); fails
     *         with BAD_REQUEST naming the problem
     */
    Future<WhiskAction> check(Identity caller, EntityPath sequence, WhiskAction action) {
        List<String> components = new ArrayList<>();
        for (String c : action.exec().components()) {
            components.add(c.startsWith("/_/") ? "/" + caller.namespace() + c.substring(2) : c);
        }
        Walk walk = new Walk(caller, null, null);
        return walk.node(new Step("/" + sequence, sequence, false), components, 0).map(n -> {
            if (n > Sequences.MAX_LENGTH) {
                throw WispException.badRequest("The sequence runs " + n + " actions with its nested sequences, which"
                        + " exceeds the sequence length limit of " + Sequences.MAX_LENGTH + " actions.");
            }
            Exec e = action.exec();
            return new WhiskAction(action.namespace(), action.name(), action.version(), action.publish(),
                    new Exec(e.kind(), null, null, null, null, components), action.annotations(),
                    action.parameters(), action.limits(), action.updated());
        });
    }

    /**
     * Checks a binding about to be written (created, or re-pointed): binding {@code target} under the name
     * {@code binding} must not close a cycle.
     *
     * @return fails with BAD_REQUEST naming the cycle
     */
    Future<Void> checkBinding(Identity caller, EntityPath binding, EntityPath target) {
        return roots(new Walk(caller, binding, target), target, 0);
    }

    /** Walks from every sequence of the bound package, a page at a time. */
    private Future<Void> roots(Walk walk, EntityPath target, int skip) {
        return packageActions.page(target, skip, PAGE).compose(page -> {
            Future<Void> chain = Future.succeededFuture();
            for (WhiskAction a : page) {
                EntityPath root = new EntityPath(target.namespace(), target.name(), a.name());
                if (Kinds.SEQUENCE.equals(a.exec().kind()) && a.exec().components() != null) {
                    chain = chain.compose(v -> walk.done.containsKey(root) ? Future.succeededFuture()
                            : walk.node(new Step("/" + root, root, false), a.exec().components(), 0).mapEmpty());
                }
            }
            return page.size() < PAGE ? chain : chain.compose(v -> roots(walk, target, skip + PAGE));
        });
    }

    /**
     * One step of the way: the component as the sequence before it names it, the action that name resolves to,
     * and whether it went through the binding being written.
     */
    private record Step(String name, EntityPath resolved, boolean rebound) {
    }

    /** The state of one check. Runs its steps one after another, so it needs no locking. */
    private final class Walk {
        private final Identity caller;
        /** The binding being written and the package it is to bind; null for an action write. */
        private final EntityPath binding;
        private final EntityPath target;
        /** The way from the first sequence to the current one. */
        private final List<Step> way = new ArrayList<>();
        /** The actions fully walked, with how many actions each runs (capped as for the length limit). */
        private final Map<EntityPath, Integer> done = new HashMap<>();

        Walk(Identity caller, EntityPath binding, EntityPath target) {
            this.caller = caller;
            this.binding = binding;
            this.target = target;
        }

        /** An action write is held to every limit; a binding write only to having no cycle. */
        private boolean strict() {
            return binding == null;
        }

        /** How many actions a sequence's components run, nested sequences expanded. */
        Future<Integer> node(Step step, List<String> components, int depth) {
            way.add(step);
            Future<Integer> total = Future.succeededFuture(0);
            for (String component : components) {
                total = total.compose(sum -> strict() && sum > Sequences.MAX_LENGTH ? Future.succeededFuture(sum)
                        : component(component, depth).map(n -> sum + n));
            }
            return total.map(n -> {
                way.removeLast();
                done.put(step.resolved(), n);
                return n;
            });
        }

        private Future<Integer> component(String component, int depth) {
            EntityPath named = path(component);
            boolean rebound = binding != null && named.packageName() != null
                    && named.namespace().equals(binding.namespace()) && named.packageName().equals(binding.name());
            return resolve(component, rebound ? new EntityPath(target.namespace(), target.name(), named.name())
                    : named, depth).compose(r -> {
                        if (r == null) {
                            return Future.succeededFuture(1);
                        }
                        for (int i = 0; i < way.size(); i++) {
                            if (way.get(i).resolved().equals(r.path())) {
                                return Future.failedFuture(cycle(i, new Step(component, r.path(), rebound)));
                            }
                        }
                        if (!Kinds.SEQUENCE.equals(r.action().exec().kind())) {
                            return Future.succeededFuture(1);
                        }
                        Integer known = done.get(r.path());
                        if (known != null) {
                            return Future.succeededFuture(known);
                        }
                        if (depth >= Sequences.MAX_LENGTH) {
                            // deeper than a sequence may run; a binding write does not follow it further
                            return strict() ? Future.failedFuture(WispException.badRequest("The sequence nests"
                                    + " sequences deeper than " + Sequences.MAX_LENGTH + " levels."))
                                    : Future.succeededFuture(1);
                        }
                        List<String> nested = r.action().exec().components();
                        return node(new Step(component, r.path(), rebound), nested == null ? List.of() : nested,
                                depth + 1);
                    });
        }

        /**
         * The action a component names, or null when it is not followed. For a binding write, a component the
         * caller may not read (or that is missing) is not followed. For an action write, as in OpenWhisk: one of
         * the sequence's own components that the caller may not read is FORBIDDEN, a deeper one (which the
         * sequence naming it could read) is not followed, and a missing one is a BAD_REQUEST. A failure of the
         * store stays what it is.
         */
        private Future<ResolvedAction> resolve(String component, EntityPath path, int depth) {
            return resolver.resolve(caller, path).recover(e -> {
                if (!(e instanceof WispException w) || w.status() >= 500) {
                    return Future.failedFuture(e);
                }
                if (!strict()) {
                    return Future.succeededFuture(null);
                }
                if (w.kind() == ErrorKind.FORBIDDEN) {
                    return depth > 0 ? Future.succeededFuture(null) : Future.failedFuture(WispException.forbidden(
                            "The sequence component '" + ApiContext.shorten(component) + "' is not accessible: "
                                    + e.getMessage()));
                }
                return Future.failedFuture(WispException.badRequest("The sequence component '"
                        + ApiContext.shorten(component) + "' cannot be used: " + e.getMessage()));
            });
        }

        /** The refusal of a way that comes back to its step {@code from} by {@code last}. */
        private WispException cycle(int from, Step last) {
            List<Step> steps = new ArrayList<>(way.subList(from, way.size()));
            steps.add(last);
            List<String> names = new ArrayList<>();
            steps.forEach(s -> names.add(s.name()));
            if (!last.name().equals(way.get(from).name())) {
                names.add(way.get(from).name());
            }
            String shown = String.join(" -> ", names) + ".";
            if (strict()) {
                return WispException.badRequest(from == 0
                        ? "The sequence may not contain itself, directly or through other sequences: " + shown
                        : "The sequence reaches a sequence cycle: " + shown);
            }
            boolean closed = steps.subList(1, steps.size()).stream().anyMatch(Step::rebound);
            return WispException.badRequest(closed ? "The binding would close a sequence cycle: " + shown
                    : "The bound package's sequences reach a sequence cycle: " + shown);
        }
    }

    static EntityPath path(String component) {
        String[] p = component.substring(1).split("/");
        return p.length == 3 ? new EntityPath(p[0], p[1], p[2]) : EntityPath.of(p[0], p[1]);
    }
}
