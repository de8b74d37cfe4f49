package dev.wisp.common.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryTest {
    private final Vertx vertx = Vertx.vertx();
    private final AtomicInteger calls = new AtomicInteger();
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        vertx.close();
    }

    private <T> T outcome(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void triesAgainAfterDoublingPausesUntilItSucceeds() throws Exception {
        Retry retry = Retry.forever(Duration.ofMillis(5), Duration.ofMillis(12));
        String result = outcome(retry.run(vertx, Retry::retriable, (e, pause) -> pauses.add(pause),
                () -> calls.incrementAndGet() < 4 ? Future.failedFuture(WispException.unavailable("away"))
                        : Future.succeededFuture("done")));
        assertEquals("done", result);
        assertEquals(4, calls.get());
        assertEquals(List.of(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(12)), pauses);
    }

    @Test
    void aFailureForGoodEndsItAtOnce() {
        Retry retry = Retry.forever(Duration.ofMillis(5), Duration.ofMillis(5));
        ExecutionException e = assertThrows(ExecutionException.class, () -> outcome(retry.run(vertx,
                Retry::retriable, (f, pause) -> pauses.add(pause), () -> {
                    calls.incrementAndGet();
                    return Future.failedFuture(WispException.tooLarge("413 stays 413"));
                })));
        assertInstanceOf(WispException.class, e.getCause());
        assertEquals(1, calls.get());
        assertTrue(pauses.isEmpty());
    }

    @Test
    void aBoundedRetryGivesUpWithTheLastFailure() {
        Retry retry = new Retry(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(60));
        ExecutionException e = assertThrows(ExecutionException.class, () -> outcome(retry.run(vertx,
                Retry::retriable, (f, pause) -> { }, () -> Future.failedFuture(
                        WispException.unavailable("attempt " + calls.incrementAndGet())))));
        assertEquals("attempt " + calls.get(), e.getCause().getMessage());
        // how many attempts fit in 60 ms depends on the machine's load: only that it retried at all is certain
        assertTrue(calls.get() >= 2, "calls " + calls.get());
    }

    @Test
    void whatIsRetriable() {
        assertTrue(Retry.retriable(WispException.unavailable("x")));
        assertFalse(Retry.retriable(WispException.notFound("x")));
        assertTrue(Retry.retriable(new java.io.IOException("reset")));
    }
}
