package dev.wisp.controller.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.Activation;
import dev.wisp.common.entity.ActivationResponse;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Identity;
import dev.wisp.common.message.ActivationId;
import dev.wisp.common.message.ActivationMessage;
import dev.wisp.common.message.DeadLetter;
import dev.wisp.common.message.TransactionId;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReaperTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Map<String, Activation> store = new HashMap<>();
    private final List<DeadLetter> letters = new ArrayList<>();
    private final Reaper reaper = new Reaper(Duration.ofSeconds(60), now::get,
            a -> Future.succeededFuture(store.putIfAbsent(a.activationId(), a) == null),
            l -> {
                letters.add(l);
                return Future.succeededFuture();
            });

    private ActivationMessage message() {
        return new ActivationMessage(TransactionId.generate(), ActivationId.generate(), EntityPath.of("guest", "slow"),
                "1-abc", "0.0.1", new Identity("guest", "guest", "uuid"), false, "controller0", Json.object(),
                now.get(), null, 0);
    }

    @Test
    void anActivationWithoutARecordPastTimeoutAndGraceGetsASystemError() {
        ActivationMessage msg = message();
        reaper.track(msg, 5_000, now.get());
        now.addAndGet(64_999);
        assertEquals(0, reaper.sweep().result());
        now.addAndGet(2);
        assertEquals(1, reaper.sweep().result());
        Activation a = store.get(msg.activationId().value());
        assertEquals(ActivationResponse.SYSTEM_ERROR, a.response().statusCode());
        assertTrue(a.response().result().path("error").asText().contains("5000 milliseconds plus 60 seconds"));
        assertTrue(a.annotation("reaped").orElseThrow().asBoolean());
        assertTrue(a.annotation("deadLetter").orElseThrow().asBoolean());
        assertEquals(1, letters.size());
        assertEquals(0, reaper.pending());
        assertEquals(0, reaper.sweep().result(), "reaped once");
    }

    @Test
    void anExistingRecordWinsAndCompletedActivationsAreForgotten() {
        ActivationMessage late = message();
        ActivationMessage done = message();
        reaper.track(late, 1_000, now.get());
        reaper.track(done, 1_000, now.get());
        reaper.completed(done.activationId());
        Activation invokers = new Activation("guest", "slow", "guest", late.activationId().value(), "0.0.1", false,
                1, 2, 1, ActivationResponse.success(Json.object()), List.of(), List.of(), null);
        store.put(invokers.activationId(), invokers);
        now.addAndGet(120_000);
        assertEquals(0, reaper.sweep().result());
        assertEquals(invokers, store.get(late.activationId().value()));
        assertTrue(letters.isEmpty());
        assertEquals(1, store.size());
    }

    @Test
    void aWithdrawnTrackingIsForgottenButNotAnEarlierTrackingOfTheSameId() {
        ActivationMessage failed = message();
        reaper.withdraw(reaper.track(failed, 1_000, now.get()));
        assertEquals(0, reaper.pending(), "a publish that failed leaves nothing to reap");

        // the same id published twice: the first publish worked, the second (a retry) failed
        ActivationMessage inKafka = message();
        reaper.track(inKafka, 1_000, now.get());
        reaper.withdraw(reaper.track(inKafka, 1_000, now.get()));
        assertEquals(1, reaper.pending());
        now.addAndGet(120_000);
        assertEquals(1, reaper.sweep().result(), "the activation in Kafka is still reaped when no record comes");
        assertEquals(inKafka.activationId().value(), letters.get(0).activationId().value());
    }

    @Test
    void aPublishThatTookOverAnOldKeyHasItsFullTimeFromThePublish() {
        // the key's first request arrived an hour ago; its publish failed, and a retry publishes it only now
        ActivationMessage old = new ActivationMessage(TransactionId.generate(), ActivationId.generate(),
                EntityPath.of("guest", "slow"), "1-abc", "0.0.1", new Identity("guest", "guest", "uuid"), false,
                "controller0", Json.object(), now.get() - 3_600_000, null, 0);
        reaper.track(old, 5_000, now.get());
        now.addAndGet(64_999);
        assertEquals(0, reaper.sweep().result(), "not reaped before it could run");
        now.addAndGet(2);
        assertEquals(1, reaper.sweep().result());
    }
}
