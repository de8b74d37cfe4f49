package dev.wisp.invoker.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.Activation;
import dev.wisp.common.entity.ActivationResponse;
import dev.wisp.common.entity.KeyValue;
import dev.wisp.common.message.ActivationId;
import dev.wisp.common.message.CompletionMessage;
import dev.wisp.common.message.TransactionId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompletionEncodingTest {
    @Test
    void aCompletionCarryingItsEncodedRecordDecodesAsOneEncodedWhole() {
        Activation record = new Activation("guest", "hello", "guest", ActivationId.generate().value(), "0.0.1",
                false, 1, 3, 2, ActivationResponse.success(Json.object().put("greeting", "h\u00e9llo \"you\"")),
                List.of("a log line"), List.of(new KeyValue("kind", Json.toTree("nodejs:20"))), null);
        CompletionMessage header = new CompletionMessage(TransactionId.generate(),
                new ActivationId(record.activationId()), "invoker0", false, null);
        byte[] spliced = ActivationRunner.carrying(header, Json.encode(record));
        CompletionMessage whole = new CompletionMessage(header.transactionId(), header.activationId(), "invoker0",
                false, record);
        assertEquals(new String(Json.encode(whole), StandardCharsets.UTF_8), new String(spliced, StandardCharsets.UTF_8));
        assertEquals(record, Json.decode(spliced, CompletionMessage.class).activation());
        assertNull(Json.decode(ActivationRunner.carrying(header, null), CompletionMessage.class).activation());
    }
}
