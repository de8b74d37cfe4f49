package dev.wisp.controller.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.error.WispException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A request body as a JSON object, refusing what the codec would otherwise change silently: a number too
 * large for a double ({@code 1e999}) would reach the action as the string {@code "Infinity"}.
 */
public final class UserJson {
    private UserJson() {
    }

    /**
     * @throws WispException BAD_REQUEST for malformed JSON, a non-object, or an out-of-range number
     */
    public static ObjectNode object(byte[] body) {
        ObjectNode root = Json.parseUserObject(body);
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            JsonNode n = pending.pop();
            if (n.isContainerNode()) {
                n.forEach(pending::push);
            } else if (n.isFloatingPointNumber() && !Double.isFinite(n.doubleValue()) && !n.isBigDecimal()) {
                throw WispException.badRequest("The request content was malformed: a number is out of range"
                        + " (larger than a 64-bit floating point number can hold).");
            }
        }
        return root;
    }
}
