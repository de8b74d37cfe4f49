package dev.wisp.it.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs code that must live on one Vert.x context (as the invoker's pool does) from a test's or a benchmark's
 * thread, and waits for the Future it returns.
 */
public final class OnContext {
    private final Context context;
    private final Duration timeout;

    /** @param timeout how long a call may take before it fails */
    public OnContext(Context context, Duration timeout) {
        this.context = context;
        this.timeout = timeout;
    }

    /** Calls {@code action} on the context and returns what its Future completes with. */
    public <T> T call(Callable<Future<T>> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                action.call().onComplete(ar -> {
                    if (ar.succeeded()) {
                        result.complete(ar.result());
                    } else {
                        result.completeExceptionally(ar.cause());
                    }
                });
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs {@code action} on the context and waits for it. */
    public void run(Runnable action) throws Exception {
        call(() -> {
            action.run();
            return Future.succeededFuture();
        });
    }
}
