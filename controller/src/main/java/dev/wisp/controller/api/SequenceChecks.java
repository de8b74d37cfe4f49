package dev.wisp.controller.api;

import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Exec;
import dev.wisp.common.entity.Identity;
import dev.wisp.common.entity.Kinds;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.error.WispException;
import dev.wisp.controller.activation.Sequences;
import dev.wisp.controller.entity.ActionResolver;
import dev.wisp.controller.entity.ResolvedAction;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a sequence before it is stored: every component exists and the caller may invoke it, the sequence
 * does not reach itself through nested sequences, and it runs at most {@link Sequences#MAX_LENGTH} actions with
 * nested sequences expanded. Stores each component with {@code _} replaced by the caller's namespace.
 */
final class SequenceChecks {
    private final ActionResolver resolver;

    SequenceChecks(ActionResolver resolver) {
        this.resolver = resolver;
    }

    /** @return the action with its components fully qualified; fails with BAD_REQUEST naming the problem */
    Future<WhiskAction> check(Identity caller, EntityPath sequence, WhiskAction action) {
        List<String> components = new ArrayList<>();
        for (String c : action.exec().components()) {
            components.add(c.startsWith("/_/") ? "/" + caller.namespace() + c.substring(2) : c);
        }
        return length(caller, sequence, components, 0).map(n -> {
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

    /** How many actions the components run, nested sequences expanded; fails on a missing one or a cycle. */
    private Future<Integer> length(Identity caller, EntityPath sequence, List<String> components, int depth) {
        Future<Integer> total = Future.succeededFuture(0);
        for (String component : components) {
            total = total.compose(sum -> sum > Sequences.MAX_LENGTH ? Future.succeededFuture(sum)
                    : resolve(caller, component).compose(r -> {
                        if (r.path().equals(sequence) || path(component).equals(sequence)) {
                            return Future.failedFuture(WispException.badRequest("The sequence may not contain"
                                    + " itself, directly or through another sequence ('" + component + "')."));
                        }
                        if (!Kinds.SEQUENCE.equals(r.action().exec().kind())) {
                            return Future.succeededFuture(sum + 1);
                        }
                        if (depth > Sequences.MAX_LENGTH) {
                            return Future.failedFuture(WispException.badRequest("The sequence nests sequences"
                                    + " deeper than " + Sequences.MAX_LENGTH + " levels."));
                        }
                        return length(caller, sequence, r.action().exec().components(), depth + 1).map(n -> sum + n);
                    }));
        }
        return total;
    }

    private Future<ResolvedAction> resolve(Identity caller, String component) {
        return resolver.resolve(caller, path(component)).recover(e -> Future.failedFuture(
                WispException.badRequest("The sequence component '" + ApiContext.shorten(component)
                        + "' cannot be used: " + e.getMessage())));
    }

    static EntityPath path(String component) {
        String[] p = component.substring(1).split("/");
        return p.length == 3 ? new EntityPath(p[0], p[1], p[2]) : EntityPath.of(p[0], p[1]);
    }
}
