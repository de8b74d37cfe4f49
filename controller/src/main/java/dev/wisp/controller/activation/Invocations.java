package dev.wisp.controller.activation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.entity.Activation;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Identity;
import dev.wisp.common.entity.NamespaceLimits;
import dev.wisp.common.error.WispException;
import dev.wisp.common.message.ActivationId;
import dev.wisp.common.message.ActivationMessage;
import dev.wisp.common.message.CompletionMessage;
import dev.wisp.common.message.TransactionId;
import dev.wisp.controller.entity.ResolvedAction;
import dev.wisp.controller.loadbalancer.LoadBalancer;
import dev.wisp.controller.store.ActivationStore;
import dev.wisp.controller.store.EntityStore;
import dev.wisp.controller.throttle.Throttle;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts activations: builds the message, publishes it durably, and for a blocking invoke waits for the
 * completion. "Accepted" (in Kafka) and "completed" (record stored) are separate steps.
 */
public final class Invocations {
    private static final Logger LOG = LoggerFactory.getLogger(Invocations.class);
    /** How long past its action timeout an activation keeps its concurrency slot if its completion is lost. */
    private static final long SLOT_GRACE_MILLIS = 10 * 60_000;

    private final String controllerId;
    private final LoadBalancer balancer;
    private final CompletionFeed completions;
    private final ActivationStore activations;
    private final Throttle throttle;

    /** Either the id of an accepted activation still running, or its final record. */
    public record Outcome(ActivationId activationId, Activation activation) {
        public boolean completed() {
            return activation != null;
        }
    }

    /** Registers with {@code completions} to free each activation's throttle slot when it completes. */
    public Invocations(String controllerId, LoadBalancer balancer, CompletionFeed completions,
                       ActivationStore activations, Throttle throttle) {
        this.controllerId = Objects.requireNonNull(controllerId, "controllerId");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        completions.addListener(c -> {
            throttle.release(c.activationId().value());
            balancer.release(c.activationId().value());
        });
        this.balancer = Objects.requireNonNull(balancer, "balancer");
        this.completions = Objects.requireNonNull(completions, "completions");
        this.activations = Objects.requireNonNull(activations, "activations");
    }

    /**
     * Invokes an action. Called on the event loop.
     *
     * @param limits the caller's namespace limits, every field set
     * @param wait   how long a blocking invoke waits for the result before answering with the id
     * @return fails with THROTTLED when a namespace limit is reached, UNAVAILABLE when the activation could not
     *         be accepted
     */
    public Future<Outcome> invoke(TransactionId tid, Identity user, NamespaceLimits limits, EntityPath path,
                                  EntityStore.Stored stored, ObjectNode params, boolean blocking, Duration wait) {
        return invoke(tid, user, limits, new ResolvedAction(path, stored, List.of()), params, blocking, wait);
    }

    /** Invokes an action found through its package or binding, whose parameters it inherits. */
    public Future<Outcome> invoke(TransactionId tid, Identity user, NamespaceLimits limits, ResolvedAction action,
                                  ObjectNode params, boolean blocking, Duration wait) {
        return start(tid, user, limits, action, action.parameters(params), blocking, blocking ? wait : null, null,
                null).compose(started -> started.completion() == null
                ? Future.succeededFuture(new Outcome(started.activationId(), null)) : started.completion());
    }

    /** An accepted activation and, when someone waits for it, its outcome to come. */
    public record Started(ActivationId activationId, Future<Outcome> completion) {
    }

    /**
     * Starts one activation with exactly {@code content} as its parameters, e.g. a component of a sequence.
     * Called on the event loop.
     *
     * @param wait     how long to wait for its completion, or null not to wait
     * @param cause    the id of the activation that started this one, or null
     * @param causedBy the kind of that activation ({@code sequence}), or null
     * @return completes once the activation is in Kafka; fails as {@link #invoke} does
     */
    public Future<Started> start(TransactionId tid, Identity user, NamespaceLimits limits, ResolvedAction action,
                                 ObjectNode content, boolean blocking, Duration wait, String cause,
                                 String causedBy) {
        ActivationId id = ActivationId.generate();
        EntityStore.Stored stored = action.stored();
        EntityPath path = action.path();
        long now = System.currentTimeMillis();
        try {
            throttle.acquire(id.value(), user.namespace(), limits, now,
                    now + stored.action().limits().timeout() + SLOT_GRACE_MILLIS);
        } catch (WispException e) {
            LOG.info("[{}] invoke of {} throttled: {}", tid, path, e.getMessage());
            return Future.failedFuture(e);
        }
        ActivationMessage msg = new ActivationMessage(tid, id, path, stored.revision(),
                stored.action().version().toString(), user, blocking, controllerId, content,
                now, cause, 0, causedBy);
        Future<Optional<CompletionMessage>> done = wait != null ? completions.await(id, wait) : null;
        return balancer.publish(msg, stored.action().limits().memory())
                .onFailure(e -> {
                    throttle.release(id.value());
                    if (done != null) {
                        completions.cancel(id);
                    }
                })
                .map(invoker -> {
                    LOG.debug("[{}] activation {} of {} accepted for {}", tid, id, path, invoker);
                    return new Started(id, done == null ? null : done.compose(c -> completed(id, c)));
                });
    }

    private Future<Outcome> completed(ActivationId id, Optional<CompletionMessage> completion) {
        if (completion.isEmpty()) {
            return Future.succeededFuture(new Outcome(id, null));
        }
        Activation carried = completion.get().activation();
        if (carried != null) {
            return Future.succeededFuture(new Outcome(id, carried));
        }
        return activations.get(id.value()).map(a -> new Outcome(id, a.orElse(null)));
    }
}
