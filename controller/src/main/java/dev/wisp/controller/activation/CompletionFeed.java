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

    private record Waiter(Context context, Promise<Optional<CompletionMessage>> promise, long timer) {
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
            if (waiters.remove(id.value()) != null) {
                promise.tryComplete(Optional.empty());
            }
        });
        waiters.put(id.value(), new Waiter(context, promise, timer));
        return promise.future();
    }

    /** Forgets a waiter whose activation was never published. */
    public void cancel(ActivationId id) {
        Waiter w = waiters.remove(id.value());
        if (w != null) {
            vertx.cancelTimer(w.timer());
        }
    }

    public int waiting() {
        return waiters.size();
    }

    /** On the poll thread: one poll's completions (a record holds one, or several an invoker sent together). */
    private void onCompletions(List<List<CompletionMessage>> records) {
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
                Waiter w = waiters.remove(msg.activationId().value());
                if (w != null) {
                    wakeUps.computeIfAbsent(w.context(), c -> new ArrayList<>()).add(() -> {
                        vertx.cancelTimer(w.timer());
                        w.promise().tryComplete(Optional.of(msg));
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
