package dev.wisp.controller.activation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.Activation;
import dev.wisp.common.entity.ActivationResponse;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Identity;
import dev.wisp.common.entity.KeyValue;
import dev.wisp.common.entity.Kinds;
import dev.wisp.common.entity.NamespaceLimits;
import dev.wisp.common.error.ErrorKind;
import dev.wisp.common.error.WispException;
import dev.wisp.common.kafka.KafkaSender;
import dev.wisp.common.kafka.Topics;
import dev.wisp.common.message.ActivationId;
import dev.wisp.common.message.CompletionMessage;
import dev.wisp.common.message.SequenceMessage;
import dev.wisp.common.message.TransactionId;
import dev.wisp.controller.entity.ActionResolver;
import dev.wisp.controller.entity.ResolvedAction;
import dev.wisp.controller.store.ActivationStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable sequence actions. An invoke publishes a {@link SequenceMessage} to {@link Topics#SEQUENCES} (acks=all)
 * and answers with the sequence's activation id (a blocking invoke waits for the completion that the orchestrating
 * controller sends to this controller's completion topic). The controller that consumes the message (see
 * {@link SequenceFeed}) runs the components with {@link #orchestrate}: each is an ordinary durable activation
 * whose id derives from the sequence's id and its index ({@link SequenceActivationIds}), started when the one
 * before it completed, with that one's result as its parameters. The sequence's final record, stored create-if-
 * absent, holds the last result (or the first failure) and, as {@code logs}, the component activation ids.
 *
 * <p>When the orchestrating controller dies, Kafka hands the uncommitted message to another controller, which
 * uses the records of the components that ended, publishes the one in flight again under its id (the invoker
 * acknowledges an existing record instead of running it again) and continues. All methods run on the event loop.
 */
public final class Sequences {
    private static final Logger LOG = LoggerFactory.getLogger(Sequences.class);
    /** OpenWhisk's limit on the actions a sequence runs, nested sequences expanded. */
    public static final int MAX_LENGTH = 50;
    /**
     * How long past the reaper's grace a component may take before the sequence gives up on it: by then the reaper
     * has given it a record (sweeps a few seconds apart, the record's write), so a component is given up only if
     * the reaper failed too.
     */
    private static final Duration PAST_THE_REAPER = Duration.ofMinutes(1);
    /** A component's publish refused for now (no invoker, Kafka away): the step is taken again after a pause. */
    private static final class PublishAgain extends RuntimeException {
        PublishAgain(WispException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** Longest pause between two tries to publish a component that could not be sent (no invoker, say). */
    private static final long PUBLISH_RETRY_MAX_MILLIS = 30_000;
    /** How often a component's record is looked for while its completion is awaited (it may go elsewhere). */
    private static final long RECORD_POLL_MILLIS = 2_000;

    private final Vertx vertx;
    private final String controllerId;
    private final Invocations invocations;
    private final ActionResolver resolver;
    private final ActivationStore activations;
    private final KafkaSender sender;
    private final CompletionFeed completions;
    private final IdempotencyKeys keys;
    /** How long past its own time limit a component may take before the sequence gives up on it. */
    private final Duration componentGrace;

    /**
     * @param reaperGrace how long past its time limit an activation may go without a record before the reaper gives
     *                    it one: a component is waited for longer, so its late record is never lost to the sequence
     */
    public Sequences(Vertx vertx, String controllerId, Invocations invocations, ActionResolver resolver,
                     ActivationStore activations, KafkaSender sender, CompletionFeed completions,
                     IdempotencyKeys keys, Duration reaperGrace) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.componentGrace = reaperGrace.plus(PAST_THE_REAPER);
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.controllerId = Objects.requireNonNull(controllerId, "controllerId");
        this.invocations = Objects.requireNonNull(invocations, "invocations");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.activations = Objects.requireNonNull(activations, "activations");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.completions = Objects.requireNonNull(completions, "completions");
    }

    /**
     * Invokes a sequence as its topmost activation.
     *
     * @param wait           how long a blocking invoke waits for the final record before answering with the id
     * @param idempotencyKey the request's {@code Idempotency-Key} (validated), or null: with a key, a request
     *                       repeated in the namespace gets the first one's sequence activation (waited for when
     *                       blocking) and nothing runs again
     * @return the id once the sequence is durable in Kafka (non-blocking, or blocking past {@code wait}), else the
     *         final record; fails with UNAVAILABLE when Kafka did not confirm it, UNPROCESSABLE when the key was
     *         used for another request
     */
    public Future<Invocations.Outcome> invoke(TransactionId tid, Identity user, NamespaceLimits limits,
                                              ResolvedAction sequence, ObjectNode params, boolean blocking,
                                              Duration wait, String idempotencyKey) {
        ObjectNode content = sequence.parameters(params);
        if (idempotencyKey == null) {
            return publish(new SequenceMessage(tid, ActivationId.generate(), sequence.path(), user, limits, content,
                    blocking, controllerId, System.currentTimeMillis()), wait, null);
        }
        String fingerprint = IdempotencyKeys.fingerprint(sequence.path().docId(), params);
        return keys.claim(user.namespace(), idempotencyKey, fingerprint).compose(claim -> {
            if (claim.owner()) {
                return publish(new SequenceMessage(tid, claim.activationId(), sequence.path(), user, limits,
                        content, blocking, controllerId, claim.acceptedAt()), wait, claim);
            }
            LOG.info("[{}] repeated request: sequence {} of {} already accepted", tid, claim.activationId(),
                    sequence.path());
            return blocking ? invocations.awaitRecord(claim.activationId(), wait)
                    : Future.succeededFuture(new Invocations.Outcome(claim.activationId(), null));
        });
    }

    /**
     * Starts a sequence non-blocking under an id the caller chose, e.g. a rule's activation of a trigger fire
     * (the same id when the fire is processed again: the second message finds the first one's record).
     *
     * @return completes once the sequence is durable in Kafka
     */
    public Future<Void> start(TransactionId tid, Identity user, NamespaceLimits limits, ResolvedAction sequence,
                              ObjectNode params, ActivationId id) {
        return publish(new SequenceMessage(tid, id, sequence.path(), user, limits, sequence.parameters(params), false,
                controllerId, System.currentTimeMillis()), null, null).mapEmpty();
    }

    private Future<Invocations.Outcome> publish(SequenceMessage msg, Duration wait, IdempotencyKeys.Claim claim) {
        ActivationId id = msg.activationId();
        Future<Optional<CompletionMessage>> done = msg.blocking() ? completions.await(id, wait) : null;
        return sender.send(Topics.SEQUENCES, id.value(), Json.encode(msg))
                .recover(e -> {
                    if (done != null) {
                        completions.cancel(id, done);
                    }
                    // with no cause nothing reached Kafka: the key is free again; otherwise a retry after the
                    // bound publishes the same id again, and the second message finds the record of the first
                    boolean notSent = e instanceof WispException && e.getCause() == null;
                    return claim != null && notSent ? keys.release(claim).transform(v -> Future.failedFuture(e))
                            : Future.failedFuture(e);
                })
                .compose(v -> {
                    LOG.debug("[{}] sequence {} of {} accepted", msg.transactionId(), id, msg.action());
                    return claim == null ? Future.succeededFuture() : keys.published(claim).recover(e -> {
                        LOG.warn("[{}] key of sequence {} not marked published: {}", msg.transactionId(), id,
                                e.toString());
                        return Future.succeededFuture();
                    });
                })
                .compose(v -> {
                    if (done == null) {
                        return Future.succeededFuture(new Invocations.Outcome(id, null));
                    }
                    return done.compose(c -> c.isEmpty() ? Future.succeededFuture(new Invocations.Outcome(id, null))
                            : c.get().activation() != null
                            ? Future.succeededFuture(new Invocations.Outcome(id, c.get().activation()))
                            : activations.get(id.value()).map(a -> new Invocations.Outcome(id, a.orElse(null))));
                });
    }

    /**
     * Runs an accepted sequence to its final record, continuing from the records already stored, then sends the
     * completion to a blocking caller's controller.
     *
     * @param maybeRedelivered whether another controller may have started it before (then the first component
     *                         published here may be in Kafka already, and the invoker must check for its record)
     * @return completes once the final record is stored; fails when it could not be (process it again later)
     */
    public Future<Void> orchestrate(SequenceMessage msg, boolean maybeRedelivered) {
        return activations.get(msg.activationId().value()).compose(found -> {
            if (found.isPresent()) {
                LOG.info("[{}] sequence {} already has its record", msg.transactionId(), msg.activationId());
                return reply(msg);
            }
            return resolver.resolve(msg.user(), msg.action()).transform(ar -> {
                Run run;
                if (ar.failed()) {
                    if (!(ar.cause() instanceof WispException w && (w.kind() == ErrorKind.NOT_FOUND
                            || w.kind() == ErrorKind.FORBIDDEN))) {
                        return Future.failedFuture(ar.cause());
                    }
                    run = new Run(msg, null, msg.activationId(), null, false, new Budget(), 0);
                    run.finish(ActivationResponse.applicationError(Json.object().put("error", "The sequence "
                            + msg.action().docId() + " could not be found: " + ar.cause().getMessage())));
                } else {
                    LOG.info("[{}] sequence {} of {} runs on {}{}", msg.transactionId(), msg.activationId(),
                            msg.action(), controllerId, maybeRedelivered ? " (maybe taken over)" : "");
                    run = new Run(msg, ar.result(), msg.activationId(), null, maybeRedelivered, new Budget(), 0);
                    run.step(0, msg.content());
                }
                return run.done.future().compose(a -> reply(msg));
            });
        });
    }

    /** Tells a blocking caller's controller that the sequence's record is stored. */
    private Future<Void> reply(SequenceMessage msg) {
        if (!msg.blocking()) {
            return Future.succeededFuture();
        }
        CompletionMessage c = new CompletionMessage(msg.transactionId(), msg.activationId(), controllerId, false,
                null);
        return sender.send(Topics.completions(msg.replyTo()), msg.activationId().value(), Json.encode(c))
                .recover(e -> {
                    LOG.warn("[{}] completion of sequence {} not sent to {}: {}", msg.transactionId(),
                            msg.activationId(), msg.replyTo(), e.toString());
                    return Future.succeededFuture(); // the caller's wait ends with the id; the record is stored
                });
    }

    /**
     * What one topmost sequence run may still start: its component actions, nested sequences included, count
     * against {@link #MAX_LENGTH}. The write-time checks keep stored sequences within it and refuse cycles; this
     * holds when a cycle was closed anyway (through another namespace's actions, which its writer could not read,
     * or by two writes at once).
     */
    private static final class Budget {
        int actions;
    }

    /** One sequence activation (topmost or nested) being run here. */
    private final class Run {
        final SequenceMessage msg;
        final ActivationId id;
        final ResolvedAction sequence;
        final String parent;
        final List<String> components;
        final List<String> logs = new ArrayList<>();
        final Promise<Activation> done = Promise.promise();
        final long start;
        final Budget budget;
        final int depth;
        boolean maybePublished;
        long duration;
        /** Tries in a row to publish the current component that could not be sent. */
        int publishWaits;

        Run(SequenceMessage msg, ResolvedAction sequence, ActivationId id, String parent, boolean maybePublished,
            Budget budget, int depth) {
            this.budget = budget;
            this.depth = depth;
            this.msg = msg;
            this.sequence = sequence;
            this.id = id;
            this.parent = parent;
            this.maybePublished = maybePublished;
            this.start = parent == null ? msg.arrivedAt() : System.currentTimeMillis();
            this.components = sequence == null || sequence.action().exec().components() == null ? List.of()
                    : sequence.action().exec().components();
        }

        void step(int index, ObjectNode params) {
            if (index == components.size()) {
                finish(ActivationResponse.success(params));
                return;
            }
            String component = components.get(index);
            ActivationId componentId = SequenceActivationIds.of(id, index);
            activations.get(componentId.value()).onFailure(e -> retryLater(index, params, e)).onSuccess(found -> {
                if (found.isPresent()) {
                    completed(index, found.get());
                    return;
                }
                resolver.resolve(msg.user(), componentPath(component))
                        .onFailure(e -> {
                            if (e instanceof WispException w && (w.kind() == ErrorKind.NOT_FOUND
                                    || w.kind() == ErrorKind.FORBIDDEN)) {
                                finish(ActivationResponse.applicationError(Json.object().put("error",
                                        "Sequence component '" + component + "' could not be found: "
                                                + e.getMessage())));
                            } else {
                                retryLater(index, params, e);
                            }
                        })
                        .onSuccess(action -> startComponent(index, component, componentId, action, params));
            });
        }

        /** The store could not be read: the same step again after a pause (nothing was started). */
        private void retryLater(int index, ObjectNode params, Throwable e) {
            LOG.warn("[{}] sequence {} waits at component {}: {}", msg.transactionId(), id, index, e.toString());
            vertx.setTimer(1_000, t -> step(index, params));
        }

        private void startComponent(int index, String component, ActivationId componentId, ResolvedAction action,
                                    ObjectNode params) {
            Future<Activation> result;
            boolean mayHaveBeenPublished = maybePublished;
            boolean nestedSequence = Kinds.SEQUENCE.equals(action.action().exec().kind());
            if (nestedSequence ? depth + 1 > MAX_LENGTH : ++budget.actions > MAX_LENGTH) {
                finish(ActivationResponse.applicationError(Json.object().put("error", "The sequence "
                        + (nestedSequence ? "nests sequences deeper than " + MAX_LENGTH + " levels"
                        : "would run more than " + MAX_LENGTH + " actions")
                        + " with its nested sequences (the sequence length limit); does it reach itself through '"
                        + component + "'?")));
                return;
            }
            if (nestedSequence) {
                Run nested = new Run(msg, action, componentId, id.value(), maybePublished, budget, depth + 1);
                nested.step(0, action.parameters(params));
                result = nested.done.future();
            } else {
                Duration wait = Duration.ofMillis(action.action().limits().timeout()).plus(componentGrace);
                result = invocations.start(msg.transactionId(), msg.user(), msg.limits(), action,
                                action.parameters(params), msg.blocking(), wait, id.value(), Kinds.SEQUENCE,
                                componentId, maybePublished)
                        .recover(e -> Future.failedFuture(e instanceof WispException w
                                && w.kind() == ErrorKind.UNAVAILABLE && w.getCause() == null ? new PublishAgain(w) : e))
                        .compose(started -> awaitComponent(started.completion(), componentId, wait));
            }
            maybePublished = false;
            result.onSuccess(a -> {
                publishWaits = 0;
                completed(index, a);
            }).onFailure(e -> {
                if (e instanceof PublishAgain again) {
                    // not sent (no invoker to take it: all restarting, or drained; or Kafka refused it before
                    // sending): the sequence was accepted and waits for them. A publish whose outcome is unknown
                    // is not tried again (it may be in Kafka, and would run twice): it ends the sequence below.
                    budget.actions--;
                    maybePublished = mayHaveBeenPublished; // e.g. a taken-over sequence's component: still may be
                    if (publishWaits++ == 0) {
                        LOG.warn("[{}] sequence {} waits to publish component {}: {}", msg.transactionId(), id,
                                index, again.getMessage());
                    }
                    long pause = Math.min(PUBLISH_RETRY_MAX_MILLIS, 1_000L << Math.min(publishWaits - 1, 5));
                    vertx.setTimer(pause, t -> step(index, params));
                    return;
                }
                LOG.warn("[{}] sequence {} of {} ends at component {}: {}", msg.transactionId(), id,
                        sequence.path(), component, e.toString());
                finish(ActivationResponse.systemError("Sequence component '" + component + "' failed in the"
                        + " system: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
            });
        }

        /** The component's record: from its completion, or from the store (its completion may go elsewhere). */
        private Future<Activation> awaitComponent(Future<Invocations.Outcome> completion, ActivationId componentId,
                                                  Duration wait) {
            Promise<Activation> result = Promise.promise();
            completion.onComplete(ar -> {
                if (ar.succeeded() && ar.result().completed()) {
                    result.tryComplete(ar.result().activation());
                } else if (ar.succeeded()) {
                    result.tryFail(new IllegalStateException("the component activation " + componentId
                            + " did not complete within " + wait.toMillis() + " ms"));
                } else {
                    result.tryFail(ar.cause());
                }
            });
            long poller = vertx.setPeriodic(RECORD_POLL_MILLIS, t -> activations.get(componentId.value())
                    .onSuccess(a -> a.ifPresent(result::tryComplete)));
            return result.future().onComplete(ar -> vertx.cancelTimer(poller));
        }

        private void completed(int index, Activation a) {
            logs.add(a.activationId());
            duration += a.duration() == null ? 0 : a.duration();
            JsonNode out = a.response().result();
            if (a.response().statusCode() != ActivationResponse.SUCCESS) {
                finish(a.response());
            } else {
                step(index + 1, out != null && out.isObject() ? (ObjectNode) out : Json.object());
            }
        }

        private EntityPath componentPath(String component) {
            String[] p = component.substring(1).split("/");
            return p.length == 3 ? new EntityPath(p[0], p[1], p[2]) : EntityPath.of(p[0], p[1]);
        }

        void finish(ActivationResponse response) {
            long end = Math.max(start, System.currentTimeMillis());
            List<KeyValue> annotations = new ArrayList<>();
            if (parent == null) {
                annotations.add(new KeyValue("topmost", Json.toTree(true)));
            } else {
                annotations.add(new KeyValue("causedBy", Json.toTree(Kinds.SEQUENCE)));
            }
            EntityPath path = sequence == null ? msg.action() : sequence.path();
            annotations.add(new KeyValue("path", Json.toTree(path.docId())));
            annotations.add(new KeyValue("kind", Json.toTree(Kinds.SEQUENCE)));
            if (sequence != null) {
                annotations.add(new KeyValue("limits", Json.toTree(sequence.action().limits())));
            }
            Activation record = new Activation(msg.user().namespace(), path.name(), msg.user().subject(),
                    id.value(), sequence == null ? "0.0.1" : sequence.action().version().toString(),
                    sequence != null && sequence.action().publish(), start, end, duration, response, logs,
                    annotations, parent);
            store(record, 0).onComplete(ar -> {
                if (ar.succeeded()) {
                    done.tryComplete(record);
                } else {
                    done.tryFail(ar.cause());
                }
            });
        }

        /** Stores the record unless one exists (a predecessor's), trying again a few times. */
        private Future<Void> store(Activation record, int attempt) {
            return activations.putIfAbsent(record).<Void>mapEmpty().recover(e -> {
                if (attempt >= 4) {
                    LOG.error("[{}] the record of sequence activation {} could not be stored: {}",
                            msg.transactionId(), id, e.toString());
                    return Future.failedFuture(e);
                }
                Promise<Void> retried = Promise.promise();
                vertx.setTimer(200L << attempt, t -> store(record, attempt + 1).onComplete(retried));
                return retried.future();
            });
        }
    }
}
