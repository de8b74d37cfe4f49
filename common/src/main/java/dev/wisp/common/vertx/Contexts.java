package dev.wisp.common.vertx;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/** Helpers for work that one context starts and another finishes. */
public final class Contexts {
    private Contexts() {
    }

    /**
     * Completes {@code promise} with {@code outcome} on {@code context} (at once when already there, or when there
     * is none): a caller's Future completes on the context it called from, whoever finished the work.
     */
    public static <T> void settleOn(Context context, Future<T> outcome, Promise<T> promise) {
        if (context == null || context == Vertx.currentContext()) {
            outcome.onComplete(promise);
        } else {
            context.runOnContext(v -> outcome.onComplete(promise));
        }
    }
}
