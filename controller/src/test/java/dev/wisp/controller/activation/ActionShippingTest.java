package dev.wisp.controller.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Exec;
import dev.wisp.common.entity.Identity;
import dev.wisp.common.entity.SemVer;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.message.ActivationId;
import dev.wisp.common.message.ActivationMessage;
import dev.wisp.common.message.TransactionId;
import org.junit.jupiter.api.Test;

class ActionShippingTest {
    private final ActionShipping shipping = new ActionShipping();

    private static WhiskAction action(String name, String code) {
        return new WhiskAction("guest", name, SemVer.INITIAL, false,
                new Exec("nodejs:default", code, null, null, null, null), null, null, null, 0);
    }

    private static ActivationMessage message(String name, String revision) {
        return new ActivationMessage(TransactionId.generate(), ActivationId.generate(), EntityPath.of("guest", name),
                revision, "0.0.1", new Identity("guest", "guest", "uuid"), true, "controller0", Json.object(),
                1_000L, null, 0, null, false);
    }

    @Test
    void theFirstMessageOfEachRevisionCarriesTheActionAndLaterOnesDoNot() {
        WhiskAction a = action("a", "function main() { return {}; }");
        assertEquals(a, shipping.apply(message("a", "1-x"), a).shippedAction());
        assertNull(shipping.apply(message("a", "1-x"), a).shippedAction(), "the invoker keeps it");
        WhiskAction updated = action("a", "function main() { return { v: 2 }; }");
        assertEquals(updated, shipping.apply(message("a", "2-y"), updated).shippedAction(), "a new revision");
        assertEquals(a, shipping.apply(message("b", "1-x"), a).shippedAction(), "another action");
    }

    @Test
    void aBigActionIsLoadedByTheInvokerInstead() {
        WhiskAction big = action("big", "x".repeat(ActionShipping.MAX_SHIPPED_BYTES));
        assertNull(shipping.apply(message("big", "1-x"), big).shippedAction());
        WhiskAction small = action("small", "x".repeat(ActionShipping.MAX_SHIPPED_BYTES - 500));
        assertEquals(small, shipping.apply(message("small", "1-x"), small).shippedAction());
    }
}
