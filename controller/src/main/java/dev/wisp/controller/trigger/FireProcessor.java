package dev.wisp.controller.trigger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.Activation;
import dev.wisp.common.entity.ActivationResponse;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.KeyValue;
import dev.wisp.common.entity.Kinds;
import dev.wisp.common.entity.TriggerRule;
import dev.wisp.common.error.ErrorKind;
import dev.wisp.common.error.Retry;
import dev.wisp.common.error.WispException;
import dev.wisp.common.message.ActivationId;
import dev.wisp.common.message.ActivationMessage;
import dev.wisp.common.message.FireMessage;
import dev.wisp.controller.entity.ActionResolver;
import dev.wisp.controller.entity.ResolvedAction;
import dev.wisp.controller.loadbalancer.LoadBalancer;
import dev.wisp.controller.store.ActivationStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one fire: starts a non-blocking activation of each rule's action (through the load balancer, as a
 * non-blocking invoke is, so the invokers' retries apply) with {@code cause} = the trigger activation id, then
 * stores the trigger's activation record, whose logs hold one JSON line per rule. A rule whose activation id
 * already has a record (the fire is being processed again) is not started again. Called on one Vert.x context.
 */
public final class FireProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(FireProcessor.class);
    /** A rule's activation waits this long at most for an invoker or Kafka to take it. */
    private static final Retry PUBLISH_RETRY = new Retry(Duration.ofMillis(250), Duration.ofSeconds(5),
            Duration.ofMinutes(2));
    /** The trigger's record is stored whatever it takes: its rules' activations are in Kafka already. */
    private static final Retry STORE_RETRY = Retry.forever(Duration.ofMillis(500), Duration.ofSeconds(10));

    private final Vertx vertx;
    private final String controllerId;
    private final ActionResolver actions;
    private final LoadBalancer balancer;
    private final ActivationStore records;
    private final SequenceStarter sequences;

    /** Starts a sequence action non-blocking under a given activation id (see {@code Sequences#start}). */
    @FunctionalInterface
    public interface SequenceStarter {
        Future<Void> start(FireMessage fire, ResolvedAction sequence, ActivationId id);
    }

    public FireProcessor(Vertx vertx, String controllerId, ActionResolver actions, LoadBalancer balancer,
                         ActivationStore records, SequenceStarter sequences) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.controllerId = Objects.requireNonNull(controllerId, "controllerId");
        this.actions = Objects.requireNonNull(actions, "actions");
        this.balancer = Objects.requireNonNull(balancer, "balancer");
        this.records = Objects.requireNonNull(records, "records");
        this.sequences = Objects.requireNonNull(sequences, "sequences");
    }

    /**
     * Processes the fire.
     *
     * @return completes once every rule's activation is in Kafka (or its error is known) and the trigger's record
     *         is stored; fails only before anything was published (the store could not be read), and the fire
     *         must then be processed again
     */
    public Future<Void> process(FireMessage fire) {
        List<String> ids = new ArrayList<>();
        ids.add(fire.activationId().value());
        fire.rules().keySet().forEach(rule -> ids.add(RuleActivationIds.of(fire.activationId(), rule).value()));
        return records.recorded(ids).compose(done -> {
            if (done.contains(fire.activationId().value())) {
                LOG.info("[{}] fire {} of {} already has its record", fire.transactionId(), fire.activationId(),
                        fire.trigger());
                return Future.succeededFuture();
            }
            List<Future<ObjectNode>> entries = new ArrayList<>();
            for (Map.Entry<String, TriggerRule> rule : fire.rules().entrySet()) {
                entries.add(startRule(fire, rule.getKey(), rule.getValue(), done));
            }
            return Future.join(entries).transform(ar -> store(fire, record(fire,
                    entries.stream().map(f -> f.result() == null ? null : Json.encodeToString(f.result()))
                            .filter(Objects::nonNull).toList())));
        });
    }

    /**
     * Stores the trigger's record, trying again until it is stored: its rules' activations are in Kafka by now,
     * and failing here would have the fire processed (and those activations published) a second time.
     */
    private Future<Void> store(FireMessage fire, Activation record) {
        return STORE_RETRY.run(vertx, e -> true, (e, pause) -> LOG.warn("[{}] the record of fire {} could not be"
                        + " stored yet, trying again in {} ms: {}", fire.transactionId(), fire.activationId(),
                pause.toMillis(), e.toString()), () -> records.putIfAbsent(record).mapEmpty());
    }

    private Future<ObjectNode> startRule(FireMessage fire, String rule, TriggerRule target, Set<String> done) {
        ActivationId id = RuleActivationIds.of(fire.activationId(), rule);
        EntityPath path = target.action().toPath();
        if (done.contains(id.value())) {
            return Future.succeededFuture(started(id, rule, path));
        }
        return actions.resolve(fire.user(), path).compose(found -> {
            Future<Void> started = Kinds.SEQUENCE.equals(found.action().exec().kind())
                    ? sequences.start(fire, found, id)
                    : publish(message(fire, id, found), found.action().limits().memory());
            return started
                    .map(v -> started(id, rule, path))
                    .otherwise(e -> {
                        LOG.error("[{}] rule {} of fire {} could not start {}: {}", fire.transactionId(), rule,
                                fire.activationId(), path, e.toString());
                        return failed(ActivationResponse.SYSTEM_ERROR, e.getMessage(), rule, path);
                    });
        }, e -> Future.succeededFuture(e instanceof WispException w && w.kind() == ErrorKind.NOT_FOUND
                ? failed(ActivationResponse.APPLICATION_ERROR, "The requested resource does not exist.", rule, path)
                : e instanceof WispException w && w.kind() == ErrorKind.FORBIDDEN
                ? failed(ActivationResponse.APPLICATION_ERROR, w.getMessage(), rule, path)
                : failed(ActivationResponse.SYSTEM_ERROR, String.valueOf(e.getMessage()), rule, path)));
    }

    /** Publishes, trying again with growing pauses while no invoker or Kafka is available, for a bounded time. */
    private Future<Void> publish(ActivationMessage msg, int memoryMb) {
        return PUBLISH_RETRY.run(vertx, Retry::retriable, (e, pause) -> { },
                () -> balancer.publish(msg, memoryMb).mapEmpty());
    }

    /** The rule's activation: the action's bound parameters (package &lt; binding &lt; action) under the fire's. */
    private ActivationMessage message(FireMessage fire, ActivationId id, ResolvedAction action) {
        return new ActivationMessage(fire.transactionId(), id, action.path(), action.stored().revision(),
                action.action().version().toString(), fire.user(), false, controllerId,
                action.parameters(fire.content().deepCopy()), System.currentTimeMillis(),
                fire.activationId().value(), 0);
    }

    private static ObjectNode started(ActivationId id, String rule, EntityPath action) {
        return Json.object().put("statusCode", ActivationResponse.SUCCESS).put("success", true)
                .put("activationId", id.value()).put("rule", rule).put("action", action.docId());
    }

    private static ObjectNode failed(int statusCode, String error, String rule, EntityPath action) {
        return Json.object().put("statusCode", statusCode).put("success", false).put("error", error)
                .put("rule", rule).put("action", action.docId());
    }

    /** The trigger's activation: like OpenWhisk's, without {@code end} and {@code duration}. */
    private static Activation record(FireMessage fire, List<String> logs) {
        return new Activation(fire.trigger().namespace(), fire.trigger().name(), fire.user().subject(),
                fire.activationId().value(), fire.version() == null ? "0.0.1" : fire.version(), false,
                fire.firedAt(), null, null, ActivationResponse.success(fire.content()), logs,
                List.of(new KeyValue("path", Json.toTree(fire.trigger().docId()))), null);
    }
}
