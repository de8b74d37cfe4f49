package dev.wisp.common.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.error.ErrorKind;
import dev.wisp.common.error.WispException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** With no broker to fetch metadata from, Kafka's own {@code send()} blocks for {@code max.block.ms}. */
class KafkaSenderTest {
    @Test
    void aSendFromAnEventLoopNeverWaitsForTheBrokers() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (KafkaSender sender = new KafkaSender("127.0.0.1:1", "test", Duration.ofSeconds(2))) {
            CompletableFuture<Long> callMillis = new CompletableFuture<>();
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            vertx.runOnContext(v -> {
                long t0 = System.nanoTime();
                Future<Void> sent = sender.send("nowhere", "k", new byte[] {1});
                callMillis.complete((System.nanoTime() - t0) / 1_000_000);
                sent.onComplete(ar -> outcome.complete(ar.cause()));
            });
            long millis = callMillis.get(10, TimeUnit.SECONDS);
            assertTrue(millis < 500, "send() held the event loop for " + millis + " ms");
            Throwable failure = outcome.get(30, TimeUnit.SECONDS);
            WispException e = assertInstanceOf(WispException.class, failure);
            assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSendThatWaitedTooLongBehindBlockedOnesIsGivenUpUnsent() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (KafkaSender sender = new KafkaSender("127.0.0.1:1", "test", Duration.ofMillis(1500))) {
            java.util.List<CompletableFuture<Throwable>> outcomes = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                outcomes.add(new CompletableFuture<>());
            }
            vertx.runOnContext(v -> {
                // each of these blocks the send thread on metadata (1.5 s) in turn, unless given up first
                for (CompletableFuture<Throwable> o : outcomes) {
                    sender.send("nowhere", "k", new byte[] {1}).onComplete(ar -> o.complete(ar.cause()));
                }
            });
            WispException first = assertInstanceOf(WispException.class, outcomes.get(0).get(30, TimeUnit.SECONDS));
            assertTrue(first.getCause() != null, "the first reached Kafka's send(): its outcome counts as unknown");
            WispException last = assertInstanceOf(WispException.class, outcomes.get(3).get(30, TimeUnit.SECONDS));
            assertEquals(ErrorKind.UNAVAILABLE, last.kind());
            assertEquals(null, last.getCause(),
                    "the last waited longer than the delivery timeout behind the others: not sent");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
