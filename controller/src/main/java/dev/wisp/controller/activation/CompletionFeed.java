package dev.wisp.controller.activation;

import dev.wisp.common.kafka.Feed;
import dev.wisp.common.kafka.Topics;
import dev.wisp.common.message.ActivationId;
import dev.wisp.common.message.CompletionMessage;
import dev.wisp.common.message.Completions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes this controller's completion topic and wakes the blocking requests waiting for them. A waiter must
 * be registered before its activation is published, since the completion may come back first.
 */
public final class CompletionFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompletionFeed.class);

    private final Vertx vertx;
    private final Feed<List<CompletionMessage>> feed;
    private final Map<String, Waiter> waiters = new ConcurrentHashMap<>();
    private final List<Consumer<CompletionMessage>> listeners = new CopyOnWriteArrayList<>();

    /**
     * Who waits for one activation; {@code next}: another request waiting for the same id on this controller (e.g.
     * an idempotent retry that took over a key while the first request's publish was still under way).
     */
    private record Waiter(Context context, Promise<Optional<CompletionMessage>> promise, long timer, Waiter next) {
        /** This chain without the waiter of {@code waiting}; this very chain when it holds no such waiter. */
        Waiter without(Future<Optional<CompletionMessage>> waiting) {
            if (promise.future() == waiting) {
                return next;
            }
            Waiter rest = next == null ? null : next.without(waiting);
            return rest == next ? this : new Waiter(context, promise, timer, rest);
        }
    }

    public CompletionFeed(Vertx vertx, String bootstrapServers, String controllerId) {
        this.vertx = vertx;
        this.feed = Feed.builder(bootstrapServers, "controller-" + controllerId, Topics.completions(controllerId),
                (key, value) -> Completions.decode(value)).name("completions").bestEffortBatches(this::onCompletions);
    }

    public void start() {
        feed.start();
    }

    /**
     * Tells {@code listener} of every completion, blocking or not, whether or not anyone waits for it. Called
     * on the Kafka poll thread: the listener must be quick and thread-safe.
     */
    public void addListener(Consumer<CompletionMessage> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Waits for the completion of one activation. Must be called on a Vert.x context.
     *
     * @return a Future completed on the caller's context: the completion, or empty when {@code wait} passed first
     */
    public Future<Optional<CompletionMessage>> await(ActivationId id, Duration wait) {
        Context context = Vertx.currentContext();
        Promise<Optional<CompletionMessage>> promise = Promise.promise();
        long timer = vertx.setTimer(Math.max(1, wait.toMillis()), t -> {
            if (forget(id, promise.future())) {
                promise.tryComplete(Optional.empty());
            }
        });
        waiters.compute(id.value(), (k, others) -> new Waiter(context, promise, timer, others));
        return promise.future();
    }

    /**
     * Forgets a waiter whose activation was never published: {@code waiting} as {@link #await} returned it, so
     * another request waiting for the same id keeps waiting.
     */
    public void cancel(ActivationId id, Future<Optional<CompletionMessage>> waiting) {
        forget(id, waiting);
    }

    /** Removes the waiter of {@code waiting}; true when it was still there (then its timer was cancelled). */
    private boolean forget(ActivationId id, Future<Optional<CompletionMessage>> waiting) {
        Waiter[] removed = new Waiter[1];
        waiters.computeIfPresent(id.value(), (k, chain) -> {
            for (Waiter w = chain; w != null; w = w.next()) {
                if (w.promise().future() == waiting) {
                    removed[0] = w;
                }
            }
            return chain.without(waiting);
        });
        if (removed[0] != null) {
            vertx.cancelTimer(removed[0].timer());
        }
        return removed[0] != null;
    }

    public int waiting() {
        return waiters.size();
    }

    /** On the poll thread: one poll's completions (a record holds one, or several an invoker sent together). */
    void onCompletions(List<List<CompletionMessage>> records) {
        Map<Context, List<Runnable>> wakeUps = new IdentityHashMap<>(4);
        for (List<CompletionMessage> record : records) {
            for (CompletionMessage msg : record) {
                for (Consumer<CompletionMessage> l : listeners) {
                    try {
                        l.accept(msg);
                    } catch (RuntimeException e) {
                        LOG.warn("completion listener failed for {}: {}", msg.activationId(), e.toString());
                    }
                }
                for (Waiter w = waiters.remove(msg.activationId().value()); w != null; w = w.next()) {
                    Waiter waiter = w;
                    wakeUps.computeIfAbsent(w.context(), c -> new ArrayList<>()).add(() -> {
                        vertx.cancelTimer(waiter.timer());
                        waiter.promise().tryComplete(Optional.of(msg));
                    });
                }
            }
        }
        // one task per event loop for the whole poll, not one per completion: each costs that loop a wake-up
        wakeUps.forEach((context, tasks) -> context.runOnContext(v -> tasks.forEach(Runnable::run)));
    }

    @Override
    public void close() {
        feed.close();
    }
}
