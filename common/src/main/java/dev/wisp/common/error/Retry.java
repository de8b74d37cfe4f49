package dev.wisp.common.error;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one way Wisp tries an operation again: after pauses that double from {@code first} up to {@code max}, for
 * as long as its failures are retriable and, when bounded, until {@code giveUpAfter} has passed since the first
 * try; then the last failure is the outcome. Timers run on the given Vert.x, so nothing blocks.
 *
 * @param giveUpAfter null to try until it succeeds or fails for good
 */
public record Retry(Duration first, Duration max, Duration giveUpAfter) {
    public Retry {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(max, "max");
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("pauses must be positive, the longest at least the first");
        }
    }

    /** Retries until success or a failure for good, however long that takes. */
    public static Retry forever(Duration first, Duration max) {
        return new Retry(first, max, null);
    }

    /**
     * Whether trying again may help: a {@link WispException} says so itself (503 yes, 404 no); anything else
     * (an I/O failure, a timeout) is taken as passing.
     */
    public static boolean retriable(Throwable failure) {
        return !(failure instanceof WispException e) || e.retriable();
    }

    /**
     * Runs {@code op}, again after each retriable failure.
     *
     * @param onRetry told of each failure that will be tried again, and the pause before it (for a log line)
     */
    public <T> Future<T> run(Vertx vertx, Predicate<Throwable> retriable, BiConsumer<Throwable, Duration> onRetry,
                             Supplier<Future<T>> op) {
        Promise<T> outcome = Promise.promise();
        attempt(vertx, retriable, onRetry, op, first, System.nanoTime(), outcome);
        return outcome.future();
    }

    private <T> void attempt(Vertx vertx, Predicate<Throwable> retriable, BiConsumer<Throwable, Duration> onRetry,
                             Supplier<Future<T>> op, Duration pause, long since, Promise<T> outcome) {
        Future<T> tried;
        try {
            tried = op.get();
        } catch (RuntimeException e) {
            tried = Future.failedFuture(e);
        }
        tried.onComplete(ar -> {
            if (ar.succeeded()) {
                outcome.complete(ar.result());
                return;
            }
            boolean late = giveUpAfter != null && System.nanoTime() - since + pause.toNanos() > giveUpAfter.toNanos();
            if (!retriable.test(ar.cause()) || late) {
                outcome.fail(ar.cause());
                return;
            }
            onRetry.accept(ar.cause(), pause);
            Duration next = pause.multipliedBy(2).compareTo(max) > 0 ? max : pause.multipliedBy(2);
            vertx.setTimer(pause.toMillis(), t -> attempt(vertx, retriable, onRetry, op, next, since, outcome));
        });
    }
}
