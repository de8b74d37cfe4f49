package dev.wisp.controller.trigger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Identity;
import dev.wisp.common.entity.KeyValue;
import dev.wisp.common.entity.TriggerRule;
import dev.wisp.common.entity.WhiskTrigger;
import dev.wisp.common.error.WispException;
import dev.wisp.common.kafka.KafkaSender;
import dev.wisp.common.kafka.Topics;
import dev.wisp.common.message.ActivationId;
import dev.wisp.common.message.FireMessage;
import dev.wisp.common.message.TransactionId;
import dev.wisp.controller.store.TriggerStore;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires triggers durably: reads the trigger, and when it has active rules publishes the fire to
 * {@link Topics#TRIGGER_FIRES} (acks=all); a {@link FireFeed} in some controller then starts the rules' actions.
 * This is the entry point for anything inside a controller that fires a trigger (the REST API, alarms).
 * No throttle is applied here: callers that face users apply {@code FireThrottle} first.
 */
public final class TriggerFires {
    private static final Logger LOG = LoggerFactory.getLogger(TriggerFires.class);

    private final TriggerStore.Docs<WhiskTrigger> triggers;
    private final KafkaSender sender;

    public TriggerFires(TriggerStore triggers, KafkaSender sender) {
        this.triggers = Objects.requireNonNull(triggers, "triggers").triggers();
        this.sender = Objects.requireNonNull(sender, "sender");
    }

    /**
     * Fires a trigger. Call on a Vert.x context; the Future completes on it.
     *
     * <p>The caller chooses the trigger activation id, so a fire repeated with the same id (an alarm tick fired
     * again after a failover) is recognised: its rules' activation ids are derived from it, and a fire whose
     * trigger record already exists is not processed again.
     *
     * @param user                 whose fire it is; its subject goes on the records ({@code new Identity(ns, ns,
     *                             "")} will do for a system-initiated fire of namespace {@code ns})
     * @param trigger              the trigger's path (namespace and name, no package)
     * @param params               the fire's payload, merged over the trigger's parameters
     * @param triggerActivationId  the trigger's activation id, e.g. {@link ActivationId#generate()}
     * @return the trigger activation id once the fire is durable in Kafka, or empty when the trigger has no
     *         active rule (nothing is published and no record is written); fails with NOT_FOUND when the trigger
     *         does not exist and UNAVAILABLE when Kafka did not confirm the fire
     */
    public Future<Optional<ActivationId>> fire(TransactionId tid, Identity user, EntityPath trigger, ObjectNode params,
                                               ActivationId triggerActivationId) {
        return triggers.get(trigger).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(WispException.notFound("The requested resource does not exist."));
            }
            WhiskTrigger t = found.get().entity();
            Map<String, TriggerRule> active = t.activeRules();
            if (active.isEmpty()) {
                LOG.debug("[{}] trigger {} has no active rule; fire ignored", tid, trigger);
                return Future.succeededFuture(Optional.empty());
            }
            FireMessage msg = new FireMessage(tid, triggerActivationId, trigger, t.version().toString(), user,
                    merge(t, params), active, System.currentTimeMillis());
            return sender.send(Topics.TRIGGER_FIRES, triggerActivationId.value(), Json.encode(msg))
                    .map(v -> {
                        LOG.info("[{}] trigger {} fired as {} for {} rule(s)", tid, trigger, triggerActivationId,
                                active.size());
                        return Optional.of(triggerActivationId);
                    });
        });
    }

    private static ObjectNode merge(WhiskTrigger t, ObjectNode params) {
        ObjectNode content = Json.object();
        for (KeyValue kv : t.parameters()) {
            content.set(kv.key(), kv.value());
        }
        content.setAll(params);
        return content;
    }
}
