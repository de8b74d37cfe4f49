package dev.wisp.common.message;

import dev.wisp.common.entity.Activation;
import dev.wisp.common.entity.Fields;

/**
 * An invoker's word that an activation ended and its record is stored. It carries the record itself when it
 * is small enough for Kafka; otherwise {@code activation} is null and the controller reads the record.
 */
public record CompletionMessage(
        TransactionId transactionId,
        ActivationId activationId,
        String invoker,
        boolean systemError,
        Activation activation) {

    public CompletionMessage {
        Fields.required("transactionId, activationId, invoker", transactionId, activationId, invoker);
    }
}
