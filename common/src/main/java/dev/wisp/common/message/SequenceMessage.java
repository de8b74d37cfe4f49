package dev.wisp.common.message;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Fields;
import dev.wisp.common.entity.Identity;
import dev.wisp.common.entity.NamespaceLimits;

/**
 * One accepted sequence invoke, published durably to {@link dev.wisp.common.kafka.Topics#SEQUENCES} before the
 * caller hears of its id. The controller consuming it runs the components one after the other and stores the
 * sequence's final record; a controller that takes it over after a crash continues where the records show the
 * sequence stands (component activation ids derive from {@code activationId}).
 *
 * @param action     the sequence action's path (as resolved at invoke time, package included)
 * @param limits     the caller's namespace limits, every field set, applied to each component
 * @param content    the sequence's input: its bound parameters under the invoke's
 * @param blocking   whether a caller waits: then a completion goes to {@code replyTo}'s completion topic
 * @param replyTo    the id of the controller that accepted the invoke
 * @param arrivedAt  epoch milliseconds when the invoke was accepted (the record's start)
 */
public record SequenceMessage(
        TransactionId transactionId,
        ActivationId activationId,
        EntityPath action,
        Identity user,
        NamespaceLimits limits,
        ObjectNode content,
        boolean blocking,
        String replyTo,
        long arrivedAt) {

    public SequenceMessage {
        Fields.required("transactionId, activationId, action, user, limits, content, replyTo",
                transactionId, activationId, action, user, limits, content, replyTo);
    }
}
