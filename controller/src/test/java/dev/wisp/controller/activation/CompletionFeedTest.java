package dev.wisp.controller.activation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.message.ActivationId;
import dev.wisp.common.message.CompletionMessage;
import dev.wisp.common.message.TransactionId;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests waiting for the same activation on one controller: each is answered, none is dropped by another. */
class CompletionFeedTest {
    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();
    // never started: completions are handed to it as its poll thread would
    private final CompletionFeed feed = new CompletionFeed(vertx, "127.0.0.1:9", "test");
    private final ActivationId id = ActivationId.generate();

    @AfterEach
    void close() {
        feed.close();
        vertx.close().await();
    }

    private <T> T onContext(Supplier<T> call) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> result.complete(call.get()));
        return result.get();
    }

    private void complete() {
        feed.onCompletions(List.of(List.of(new CompletionMessage(TransactionId.generate(), id, "invoker0", false,
                null))));
    }

    @Test
    void twoRequestsWaitingForOneActivationBothGetItsCompletion() throws Exception {
        Future<Optional<CompletionMessage>> first = onContext(() -> feed.await(id, Duration.ofSeconds(30)));
        Future<Optional<CompletionMessage>> second = onContext(() -> feed.await(id, Duration.ofSeconds(30)));
        complete();
        await().until(() -> first.isComplete() && second.isComplete());
        assertEquals(id, first.result().orElseThrow().activationId());
        assertEquals(id, second.result().orElseThrow().activationId());
        assertEquals(0, feed.waiting());
    }

    @Test
    void cancellingOneRequestsWaitLeavesTheOtherWaiting() throws Exception {
        Future<Optional<CompletionMessage>> failedPublish = onContext(() -> feed.await(id, Duration.ofSeconds(30)));
        Future<Optional<CompletionMessage>> retry = onContext(() -> feed.await(id, Duration.ofSeconds(30)));
        onContext(() -> {
            feed.cancel(id, failedPublish);
            return null;
        });
        assertEquals(1, feed.waiting());
        complete();
        await().until(retry::isComplete);
        assertEquals(id, retry.result().orElseThrow().activationId());
        assertFalse(failedPublish.isComplete(), "a cancelled wait is its caller's to answer");
    }

    @Test
    void oneRequestsTimeoutLeavesTheOtherWaiting() throws Exception {
        Future<Optional<CompletionMessage>> shortWait = onContext(() -> feed.await(id, Duration.ofMillis(50)));
        Future<Optional<CompletionMessage>> longWait = onContext(() -> feed.await(id, Duration.ofSeconds(30)));
        await().until(shortWait::isComplete);
        assertTrue(shortWait.result().isEmpty(), "the short wait ended without a completion");
        assertEquals(1, feed.waiting());
        complete();
        await().until(longWait::isComplete);
        assertEquals(id, longWait.result().orElseThrow().activationId());
    }
}
