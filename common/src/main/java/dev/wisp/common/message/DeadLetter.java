package dev.wisp.common.message;

import dev.wisp.common.entity.Fields;

/**
 * A non-blocking activation given up after its retries, published to {@link dev.wisp.common.kafka.Topics#DEAD_LETTERS}
 * with the reason; its final record (a system error) is stored as well.
 */
public record DeadLetter(ActivationId activationId, String namespace, String action, int attempts, String reason,
                         long at, ActivationMessage message) {
    public DeadLetter {
        Fields.required("activationId, namespace, reason", activationId, namespace, reason);
        // the action itself (its code) goes no further than the invoker that ran it
        message = message == null || message.shippedAction() == null ? message : message.withShippedAction(null);
    }
}
