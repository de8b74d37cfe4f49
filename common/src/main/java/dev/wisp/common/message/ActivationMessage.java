package dev.wisp.common.message;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Fields;
import dev.wisp.common.entity.Identity;
import dev.wisp.common.entity.WhiskAction;

/**
 * The request to run one activation, published by a controller to the chosen invoker's topic. The invoker
 * loads the action by {@code action} at exactly {@code revision}, so an update never races a running invoke.
 *
 * @param content     the parameters of this invocation, merged over the action's bound parameters
 * @param replyTo     the controller whose completion topic receives the outcome
 * @param arrivedAt   epoch milliseconds when the controller accepted the invocation (for {@code waitTime})
 * @param attempt     0 for the first run; retries of a non-blocking activation after a system error count up
 * @param causedBy    the kind of composition that started this activation ({@code sequence}), or null; its id
 *                    is {@code cause}
 * @param checkRecordFirst the controller may have published this activation before (a sequence taken over from
 *                    a controller that died mid-way publishes its current component again): the invoker looks for
 *                    the activation's final record before running it, and acknowledges that record if found
 * @param shippedAction the action at {@code revision}, when the controller sends it along (the first time it
 *                    publishes that revision, if small): the invoker then runs it without loading it from the
 *                    store; null otherwise, and never in a dead letter (nor where it would push the message
 *                    past Kafka's record limit)
 */
public record ActivationMessage(
        TransactionId transactionId,
        ActivationId activationId,
        EntityPath action,
        String revision,
        String version,
        Identity user,
        boolean blocking,
        String replyTo,
        ObjectNode content,
        long arrivedAt,
        String cause,
        int attempt,
        String causedBy,
        boolean checkRecordFirst,
        WhiskAction shippedAction) {

    public ActivationMessage {
        Fields.required("transactionId, activationId, action, revision, user, replyTo, content",
                transactionId, activationId, action, revision, user, replyTo, content);
        if (attempt < 0) {
            throw new IllegalArgumentException("negative attempt");
        }
    }

    /** A message without the action itself: the invoker loads it from the store. */
    public ActivationMessage(TransactionId transactionId, ActivationId activationId, EntityPath action,
                             String revision, String version, Identity user, boolean blocking, String replyTo,
                             ObjectNode content, long arrivedAt, String cause, int attempt, String causedBy,
                             boolean checkRecordFirst) {
        this(transactionId, activationId, action, revision, version, user, blocking, replyTo, content, arrivedAt,
                cause, attempt, causedBy, checkRecordFirst, null);
    }

    /** An activation that no composition started. */
    public ActivationMessage(TransactionId transactionId, ActivationId activationId, EntityPath action,
                             String revision, String version, Identity user, boolean blocking, String replyTo,
                             ObjectNode content, long arrivedAt, String cause, int attempt) {
        this(transactionId, activationId, action, revision, version, user, blocking, replyTo, content, arrivedAt,
                cause, attempt, null, false);
    }

    /** An activation published for the first time. */
    public ActivationMessage(TransactionId transactionId, ActivationId activationId, EntityPath action,
                             String revision, String version, Identity user, boolean blocking, String replyTo,
                             ObjectNode content, long arrivedAt, String cause, int attempt, String causedBy) {
        this(transactionId, activationId, action, revision, version, user, blocking, replyTo, content, arrivedAt,
                cause, attempt, causedBy, false);
    }

    /** The same activation, to be run again. */
    public ActivationMessage nextAttempt() {
        return new ActivationMessage(transactionId, activationId, action, revision, version, user, blocking, replyTo,
                content, arrivedAt, cause, attempt + 1, causedBy, checkRecordFirst, shippedAction);
    }

    /** The same message carrying the action itself (see {@code shippedAction}). */
    public ActivationMessage withShippedAction(WhiskAction shipped) {
        return new ActivationMessage(transactionId, activationId, action, revision, version, user, blocking, replyTo,
                content, arrivedAt, cause, attempt, causedBy, checkRecordFirst, shipped);
    }
}
