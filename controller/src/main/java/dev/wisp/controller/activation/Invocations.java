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
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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

    private final Vertx vertx;
    private final String controllerId;
    private final LoadBalancer balancer;
    private final CompletionFeed completions;
    private final ActivationStore activations;
    private final Throttle throttle;
    private final IdempotencyKeys keys;
    private final Reaper reaper;
    private final ActionShipping shipping = new ActionShipping();

    /** Either the id of an accepted activation still running, or its final record. */
    public record Outcome(ActivationId activationId, Activation activation) {
        public boolean completed() {
            return activation != null;
        }
    }

    /**
     * Registers with {@code completions} to free each activation's throttle slot when it completes and to tell
     * the reaper.
     */
    public Invocations(Vertx vertx, String controllerId, LoadBalancer balancer, CompletionFeed completions,
                       ActivationStore activations, Throttle throttle, IdempotencyKeys keys, Reaper reaper) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.controllerId = Objects.requireNonNull(controllerId, "controllerId");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.reaper = Objects.requireNonNull(reaper, "reaper");
        completions.addListener(c -> {
            throttle.release(c.activationId().value());
            balancer.release(c.activationId().value());
            reaper.completed(c.activationId());
        });
        this.balancer = Objects.requireNonNull(balancer, "balancer");
        this.completions = Objects.requireNonNull(completions, "completions");
        this.activations = Objects.requireNonNull(activations, "activations");
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /**
     * Invokes an action. Called on the event loop.
     *
     * @param limits the caller's namespace limits, every field set
     * @param wait   how long a blocking invoke waits for the result before answering with the id
     * @param idempotencyKey the request's {@code Idempotency-Key} (validated), or null: with a key, a request
     *                       repeated in the namespace gets the first one's activation (waited for when blocking)
     * @return fails with THROTTLED when a namespace limit is reached, UNAVAILABLE when the activation could not
     *         be accepted, UNPROCESSABLE when the key was used for another request
     */
    public Future<Outcome> invoke(TransactionId tid, Identity user, NamespaceLimits limits, EntityPath path,
                                  EntityStore.Stored stored, ObjectNode params, boolean blocking, Duration wait,
                                  String idempotencyKey) {
        return invoke(tid, user, limits, new ResolvedAction(path, stored, List.of()), params, blocking, wait,
                idempotencyKey);
    }

    /**
     * Invokes an action found through its package or binding, whose parameters it inherits; with an
     * idempotency key as {@link #invoke(TransactionId, Identity, NamespaceLimits, EntityPath, EntityStore.Stored,
     * ObjectNode, boolean, Duration, String)} does.
     */
    public Future<Outcome> invoke(TransactionId tid, Identity user, NamespaceLimits limits, ResolvedAction action,
                                  ObjectNode params, boolean blocking, Duration wait, String idempotencyKey) {
        ObjectNode content = action.parameters(params);
        Duration waitFor = blocking ? wait : null;
        if (idempotencyKey == null) {
            return outcome(start(tid, user, limits, action, content, blocking, waitFor, null, null,
                    ActivationId.generate(), System.currentTimeMillis(), false, null));
        }
        String fingerprint = IdempotencyKeys.fingerprint(action.path().docId(), params);
        return keys.claim(user.namespace(), idempotencyKey, fingerprint).compose(claim -> {
            if (claim.owner()) {
                LOG.debug("[{}] key claimed for activation {}", tid, claim.activationId());
                return outcome(start(tid, user, limits, action, content, blocking, waitFor, null, null,
                        claim.activationId(), claim.acceptedAt(), false, claim));
            }
            LOG.info("[{}] repeated request: activation {} of {} already accepted", tid, claim.activationId(),
                    action.path());
            return blocking ? awaitRecord(claim.activationId(), System.currentTimeMillis() + wait.toMillis(), 50)
                    : Future.succeededFuture(new Outcome(claim.activationId(), null));
        });
    }

    private static Future<Outcome> outcome(Future<Started> started) {
        return started.compose(s -> s.completion() == null
                ? Future.succeededFuture(new Outcome(s.activationId(), null)) : s.completion());
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
        return start(tid, user, limits, action, content, blocking, wait, cause, causedBy, ActivationId.generate(),
                System.currentTimeMillis(), false, null);
    }

    /**
     * As {@link #start(TransactionId, Identity, NamespaceLimits, ResolvedAction, ObjectNode, boolean, Duration,
     * String, String)} with a chosen activation id, e.g. one derived from a sequence's.
     *
     * @param checkRecordFirst it may have been published before: the invoker looks for its record before it runs
     */
    public Future<Started> start(TransactionId tid, Identity user, NamespaceLimits limits, ResolvedAction action,
                                 ObjectNode content, boolean blocking, Duration wait, String cause,
                                 String causedBy, ActivationId id, boolean checkRecordFirst) {
        return start(tid, user, limits, action, content, blocking, wait, cause, causedBy, id,
                System.currentTimeMillis(), checkRecordFirst, null);
    }

    private Future<Started> start(TransactionId tid, Identity user, NamespaceLimits limits, ResolvedAction action,
                                  ObjectNode content, boolean blocking, Duration wait, String cause,
                                  String causedBy, ActivationId id, long arrivedAt, boolean checkRecordFirst,
                                  IdempotencyKeys.Claim claim) {
        EntityStore.Stored stored = action.stored();
        EntityPath path = action.path();
        long now = System.currentTimeMillis();
        try {
            throttle.acquire(id.value(), user.namespace(), limits, now,
                    now + stored.action().limits().timeout() + SLOT_GRACE_MILLIS);
        } catch (WispException e) {
            LOG.info("[{}] invoke of {} throttled: {}", tid, path, e.getMessage());
            return claim == null ? Future.failedFuture(e) : keys.release(claim).transform(v -> Future.failedFuture(e));
        }
        ActivationMessage msg = shipping.apply(new ActivationMessage(tid, id, path, stored.revision(),
                stored.action().version().toString(), user, blocking, controllerId, content,
                arrivedAt, cause, 0, causedBy, checkRecordFirst), stored.action());
        Future<Optional<CompletionMessage>> done = wait != null ? completions.await(id, wait) : null;
        // tracked before it is published, as the waiter is: its completion may be read on the feed's thread before
        // the publish's answer comes back to this event loop, and an activation tracked after its completion
        // would stay tracked until its deadline, then be recorded as reaped unless the invoker's record is in
        Reaper.Tracking tracked = reaper.track(msg, stored.action().limits().timeout(), now);
        return balancer.publish(msg, stored.action().limits().memory())
                .recover(e -> {
                    // with no cause the publish was refused before anything reached Kafka: the key is free again,
                    // and the admission is taken back whole; otherwise the outcome is unknown and a retry after the
                    // bound publishes the same id
                    boolean notSent = e instanceof WispException && e.getCause() == null;
                    if (notSent) {
                        throttle.withdraw(id.value());
                    } else {
                        throttle.release(id.value());
                    }
                    reaper.withdraw(tracked);
                    if (done != null) {
                        completions.cancel(id, done);
                    }
                    return claim != null && notSent ? keys.release(claim).transform(v -> Future.failedFuture(e))
                            : Future.failedFuture(e);
                })
                .compose(invoker -> {
                    LOG.debug("[{}] activation {} of {} accepted for {}", tid, id, path, invoker);
                    Future<Void> marked = claim == null ? Future.succeededFuture() : keys.published(claim)
                            .recover(e -> {
                                LOG.warn("[{}] key of activation {} not marked published: {}", tid, id, e.toString());
                                return Future.succeededFuture();
                            });
                    return marked.map(v -> new Started(id, done == null ? null : done.compose(c -> completed(id, c))));
                });
    }

    /**
     * Waits for an activation's record in the store, for a repeated blocking request: the completion goes to
     * the controller that published it, which may be another one or dead.
     */
    Future<Outcome> awaitRecord(ActivationId id, Duration wait) {
        return awaitRecord(id, System.currentTimeMillis() + wait.toMillis(), 50);
    }

    private Future<Outcome> awaitRecord(ActivationId id, long deadline, long delay) {
        return activations.get(id.value()).compose(found -> {
            long now = System.currentTimeMillis();
            if (found.isPresent() || now >= deadline) {
                return Future.succeededFuture(new Outcome(id, found.orElse(null)));
            }
            Promise<Outcome> next = Promise.promise();
            vertx.setTimer(Math.max(1, Math.min(delay, deadline - now)),
                    t -> awaitRecord(id, deadline, Math.min(delay * 2, 1_000)).onComplete(next));
            return next.future();
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
