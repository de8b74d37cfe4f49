package dev.wisp.common.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Exec;
import dev.wisp.common.entity.Identity;
import dev.wisp.common.entity.KeyValue;
import dev.wisp.common.entity.SemVer;
import dev.wisp.common.entity.WhiskAction;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActivationMessageTest {
    private static ActivationMessage message(boolean checkRecordFirst) {
        return new ActivationMessage(TransactionId.generate(), ActivationId.generate(), EntityPath.of("guest", "a"),
                "1-abc", "0.0.1", new Identity("guest", "guest", "uuid"), false, "controller0", Json.object(),
                1_000L, "seq", 0, "sequence", checkRecordFirst);
    }

    @Test
    void saysWhetherTheInvokerLooksForARecordFirstAndKeepsItAcrossAttempts() {
        ActivationMessage m = message(true);
        ActivationMessage back = Json.decode(Json.encode(m), ActivationMessage.class);
        assertEquals(m, back);
        assertTrue(back.nextAttempt().checkRecordFirst());
        assertEquals(1, back.nextAttempt().attempt());
    }

    @Test
    void aMessageFromAnEarlierVersionWithoutTheFlagRunsAsAFirstPublication() {
        ObjectNode older = (ObjectNode) Json.toTree(message(true));
        older.remove("checkRecordFirst");
        assertFalse(Json.decode(Json.encode(older), ActivationMessage.class).checkRecordFirst());
    }

    @Test
    void anActionSentAlongSurvivesTheCodecAndRetriesButNotADeadLetter() {
        WhiskAction action = new WhiskAction("guest", "a", SemVer.INITIAL, false,
                new Exec("nodejs:default", "function main() { return { code: 'c0de' }; }", null, null, null, null),
                List.of(), List.of(new KeyValue("bound", TextNode.valueOf("b0und"))), null, 0);
        ActivationMessage m = message(false).withShippedAction(action);
        ActivationMessage back = Json.decode(Json.encode(m), ActivationMessage.class);
        assertEquals(action, back.shippedAction());
        assertEquals(action, back.nextAttempt().shippedAction());
        assertFalse(Json.encodeToString(message(false)).contains("shippedAction"), "absent unless sent");
        DeadLetter letter = new DeadLetter(m.activationId(), "guest", "guest/a", 3, "gave up", 1L, m);
        assertNull(letter.message().shippedAction());
        assertFalse(Json.encodeToString(letter).contains("c0de"), Json.encodeToString(letter));
    }
}
