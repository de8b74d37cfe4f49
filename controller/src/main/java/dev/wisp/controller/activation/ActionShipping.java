package dev.wisp.controller.activation;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.message.ActivationMessage;

/**
 * Which activation messages carry their action along: the first this controller publishes of each action
 * revision, when the action encodes to at most {@link #MAX_SHIPPED_BYTES}. The invoker that gets it runs the
 * activation without loading the action from the store (a store read: 6-12 ms of a new action's first invoke on a
 * slow VM) and keeps it for the revision's later activations, which travel without it. An invoker that did not get
 * it (another one ran that first activation, or it has forgotten it since) loads it from the store as before.
 * Thread-safe.
 */
final class ActionShipping {
    /** The largest action (code, parameters, annotations, encoded) sent along; a bigger one is loaded. */
    static final int MAX_SHIPPED_BYTES = 32 * 1024;
    /** How many revisions are remembered as sent; one forgotten is sent again, at worst. */
    static final int REMEMBERED = 10_000;

    private final Cache<String, Boolean> sent = CacheBuilder.newBuilder().maximumSize(REMEMBERED).build();

    /** {@code msg} carrying {@code action} if this is the first of its revision and it is small; else {@code msg}. */
    ActivationMessage apply(ActivationMessage msg, WhiskAction action) {
        if (sent.asMap().putIfAbsent(msg.action().docId() + "@" + msg.revision(), Boolean.TRUE) != null) {
            return msg;
        }
        return Json.encode(action).length <= MAX_SHIPPED_BYTES ? msg.withShippedAction(action) : msg;
    }
}
