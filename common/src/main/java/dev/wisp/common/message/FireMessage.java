package dev.wisp.common.message;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Fields;
import dev.wisp.common.entity.Identity;
import dev.wisp.common.entity.TriggerRule;
import java.util.Map;

/**
 * One accepted trigger fire, published durably to {@link dev.wisp.common.kafka.Topics#TRIGGER_FIRES} before the
 * caller hears 202. A controller consuming it starts one activation per rule and then stores the trigger's
 * activation record.
 *
 * @param activationId the trigger's activation id; each rule's activation id is derived from it
 * @param content      the trigger's parameters merged under the fire's payload
 * @param rules        the rules that were active at the fire, by fully qualified rule name
 * @param firedAt      epoch milliseconds when the fire was accepted
 * @param version      the trigger's version, for its activation record
 */
public record FireMessage(
        TransactionId transactionId,
        ActivationId activationId,
        EntityPath trigger,
        String version,
        Identity user,
        ObjectNode content,
        Map<String, TriggerRule> rules,
        long firedAt) {

    public FireMessage {
        Fields.required("transactionId, activationId, trigger, user, content",
                transactionId, activationId, trigger, user, content);
        rules = Fields.orderedMap(rules);
    }
}
