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
import dev.wisp.common.message.ActivationId;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs sequence actions in the controller that received the invoke: each component is an ordinary durable
 * activation (published to Kafka, run by an invoker, with its own final record) started when the one before
 * it completed, with that one's result as its parameters. The sequence's own final record, written here, holds
 * the last result (or the first failure) and, as {@code logs}, the ids of the component activations.
 *
 * <p>Orchestration lives in this controller's memory: if the controller dies mid-sequence, the component that
 * was running still ends with its record, but no further component starts and the sequence gets no record.
 * Every failure the controller itself sees (a component that cannot be started or never completes, a store
 * error) ends the sequence with a system-error record. All methods run on the event loop.
 */
public final class Sequences {
    private static final Logger LOG = LoggerFactory.getLogger(Sequences.class);
    /** OpenWhisk's limit on the actions a sequence runs, nested sequences expanded. */
    public static final int MAX_LENGTH = 50;
    /** How long past its own time limit a component may take before the sequence gives up on it. */
    private static final Duration COMPONENT_GRACE = Duration.ofMinutes(10);

    private final Vertx vertx;
    private final Invocations invocations;
    private final ActionResolver resolver;
    private final ActivationStore activations;

    public Sequences(Vertx vertx, Invocations invocations, ActionResolver resolver, ActivationStore activations) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.invocations = Objects.requireNonNull(invocations, "invocations");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.activations = Objects.requireNonNull(activations, "activations");
    }

    /**
     * Invokes a sequence as its topmost activation.
     *
     * @param wait how long a blocking invoke waits for the final record before answering with the id
     * @return the id once the first component is accepted (non-blocking, or blocking past {@code wait}), else the
     *         final record; fails as {@link Invocations#invoke} does when the first component cannot be accepted
     */
    public Future<Invocations.Outcome> invoke(TransactionId tid, Identity user, NamespaceLimits limits,
                                              ResolvedAction sequence, ObjectNode params, boolean blocking,
                                              Duration wait) {
        Run run = new Run(tid, user, limits, sequence, blocking, null);
        run.step(0, sequence.parameters(params));
        return run.accepted.future().compose(v -> {
            if (!blocking) {
                return Future.succeededFuture(new Invocations.Outcome(run.id, null));
            }
            Promise<Invocations.Outcome> answer = Promise.promise();
            long timer = vertx.setTimer(Math.max(1, wait.toMillis()),
                    t -> answer.tryComplete(new Invocations.Outcome(run.id, null)));
            run.done.future().onSuccess(a -> {
                vertx.cancelTimer(timer);
                answer.tryComplete(new Invocations.Outcome(run.id, a));
            });
            return answer.future();
        });
    }

    /** One sequence activation in flight. */
    private final class Run {
        final ActivationId id = ActivationId.generate();
        final long start = System.currentTimeMillis();
        final TransactionId tid;
        final Identity user;
        final NamespaceLimits limits;
        final ResolvedAction sequence;
        final boolean blocking;
        final String parent;
        final List<String> components;
        final List<String> logs = new ArrayList<>();
        final Promise<Void> accepted = Promise.promise();
        final Promise<Activation> done = Promise.promise();
        long duration;

        Run(TransactionId tid, Identity user, NamespaceLimits limits, ResolvedAction sequence, boolean blocking,
            String parent) {
            this.tid = tid;
            this.user = user;
            this.limits = limits;
            this.sequence = sequence;
            this.blocking = blocking;
            this.parent = parent;
            this.components = sequence.action().exec().components() == null ? List.of()
                    : sequence.action().exec().components();
        }

        void step(int index, ObjectNode params) {
            if (index == components.size()) {
                finish(ActivationResponse.success(params));
                return;
            }
            String component = components.get(index);
            resolver.resolve(user, componentPath(component))
                    .recover(e -> {
                        accepted.tryComplete();
                        finish(ActivationResponse.applicationError(Json.object().put("error",
                                "Sequence component '" + component + "' could not be found: " + e.getMessage())));
                        return Future.failedFuture(e);
                    })
                    .onSuccess(action -> startComponent(index, component, action, params));
        }

        private void startComponent(int index, String component, ResolvedAction action, ObjectNode params) {
            Future<Activation> result;
            if (Kinds.SEQUENCE.equals(action.action().exec().kind())) {
                Run nested = new Run(tid, user, limits, action, blocking, id.value());
                nested.step(0, action.parameters(params));
                result = nested.accepted.future().compose(v -> nested.done.future());
                nested.accepted.future().onComplete(ar -> accepted.tryComplete());
            } else {
                Duration wait = Duration.ofMillis(action.action().limits().timeout()).plus(COMPONENT_GRACE);
                result = invocations.start(tid, user, limits, action, action.parameters(params), blocking, wait,
                                id.value(), Kinds.SEQUENCE)
                        .onSuccess(started -> accepted.tryComplete())
                        .compose(started -> started.completion().compose(o -> o.completed()
                                ? Future.succeededFuture(o.activation())
                                : Future.failedFuture(new IllegalStateException("the component activation "
                                + o.activationId() + " did not complete within " + wait.toMillis() + " ms"))));
            }
            result.onSuccess(a -> {
                logs.add(a.activationId());
                duration += a.duration();
                JsonNode out = a.response().result();
                if (a.response().statusCode() != ActivationResponse.SUCCESS) {
                    finish(a.response());
                } else {
                    step(index + 1, out != null && out.isObject() ? (ObjectNode) out : Json.object());
                }
            }).onFailure(e -> {
                if (index == 0 && parent == null && accepted.tryFail(e)) {
                    return; // nothing accepted yet: the caller gets the error and no id
                }
                accepted.tryComplete();
                LOG.warn("[{}] sequence {} of {} ends at component {}: {}", tid, id, sequence.path(), component,
                        e.toString());
                finish(ActivationResponse.systemError("Sequence component '" + component + "' failed in the"
                        + " system: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
            });
        }

        private EntityPath componentPath(String component) {
            String[] p = component.substring(1).split("/");
            return p.length == 3 ? new EntityPath(p[0], p[1], p[2]) : EntityPath.of(p[0], p[1]);
        }

        void finish(ActivationResponse response) {
            long end = System.currentTimeMillis();
            List<KeyValue> annotations = new ArrayList<>();
            if (parent == null) {
                annotations.add(new KeyValue("topmost", Json.toTree(true)));
            } else {
                annotations.add(new KeyValue("causedBy", Json.toTree(Kinds.SEQUENCE)));
            }
            annotations.add(new KeyValue("path", Json.toTree(sequence.path().docId())));
            annotations.add(new KeyValue("kind", Json.toTree(Kinds.SEQUENCE)));
            annotations.add(new KeyValue("limits", Json.toTree(sequence.action().limits())));
            Activation record = new Activation(user.namespace(), sequence.path().name(), user.subject(), id.value(),
                    sequence.action().version().toString(), sequence.action().publish(), start, end, duration,
                    response, logs, annotations, parent);
            store(record, 0).onComplete(ar -> done.tryComplete(record));
        }

        private Future<Void> store(Activation record, int attempt) {
            return activations.put(record).recover(e -> {
                if (attempt >= 4) {
                    LOG.error("[{}] the record of sequence activation {} could not be stored: {}", tid, id,
                            e.toString());
                    return Future.failedFuture(e);
                }
                Promise<Void> retried = Promise.promise();
                vertx.setTimer(200L << attempt, t -> store(record, attempt + 1).onComplete(retried));
                return retried.future();
            });
        }
    }
}
