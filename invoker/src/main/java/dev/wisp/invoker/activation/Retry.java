package dev.wisp.invoker.activation;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Supplier;

/** Retries an asynchronous step with exponential backoff, for failures of the store that may pass. */
final class Retry {
    private Retry() {
    }

    static <T> Future<T> withBackoff(Vertx vertx, Supplier<Future<T>> step, int attempts, Duration first) {
        Promise<T> promise = Promise.promise();
        attempt(vertx, step, attempts, first.toMillis(), promise);
        return promise.future();
    }

    private static <T> void attempt(Vertx vertx, Supplier<Future<T>> step, int left, long delay, Promise<T> promise) {
        step.get().onComplete(ar -> {
            if (ar.succeeded()) {
                promise.complete(ar.result());
            } else if (left <= 1) {
                promise.fail(ar.cause());
            } else {
                vertx.setTimer(delay, t -> attempt(vertx, step, left - 1, Math.min(delay * 2, 10_000), promise));
            }
        });
    }
}
