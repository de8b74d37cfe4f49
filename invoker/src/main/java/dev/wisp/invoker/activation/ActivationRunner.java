package dev.wisp.invoker.activation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.auth.ActivationKeys;
import dev.wisp.common.codec.Json;
import dev.wisp.common.config.Limits;
import dev.wisp.common.entity.Activation;
import dev.wisp.common.entity.ActivationResponse;
import dev.wisp.common.entity.Kinds;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.kafka.BatchingSender;
import dev.wisp.common.kafka.KafkaSender;
import dev.wisp.common.kafka.Topics;
import dev.wisp.common.message.ActivationMessage;
import dev.wisp.common.message.CompletionMessage;
import dev.wisp.invoker.docker.DockerEngine;
import dev.wisp.invoker.docker.WispImages;
import dev.wisp.invoker.health.InvokerMetrics;
import dev.wisp.invoker.pool.ContainerPool;
import dev.wisp.invoker.pool.PooledContainer;
import dev.wisp.invoker.runtime.RunResult;
import dev.wisp.invoker.runtime.RuntimeClient;
import dev.wisp.invoker.store.InvokerStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import dev.wisp.common.message.DeadLetter;
import java.util.Optional;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one activation end to end: loads the action at its revision, takes a container, {@code /init} on a cold
 * one, {@code /run}, stores the final record, and publishes the completion. An action's failure is an outcome
 * in the record; a system failure (Docker, image) becomes a system-error record. Called on the invoker's
 * context.
 */
public final class ActivationRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ActivationRunner.class);
    /** Completions larger than this carry only the id; the controller reads the record. */
    private static final int MAX_CARRIED_RECORD = 900 * 1024;
    /** A wait for a container this long is logged ({@link #slowContainer}), one line in this long at most. */
    private static final long SLOW_CONTAINER_MILLIS = 10_000;
    /** Completions sent in one record at most (a completion carrying a record near the largest leaves alone). */
    private static final int COMPLETION_BATCH_BYTES = 1024 * 1024;
    /**
     * An activation that arrived longer ago than this may already have a final record: from the controller's
     * reaper, or from an earlier copy that an {@code Idempotency-Key} retry published again. It is checked first.
     */
    static final long CHECK_RECORD_AFTER_MILLIS = 10_000;
    /**
     * An activation whose container the stopping invoker removed while it ran (it outlasted the stop's wait): not
     * the action's failure, and not one to retry (a retry published now would run beside the redelivered
     * original); it gets no record and stays uncommitted, so the next owner of the topic runs it.
     */
    private static final IllegalStateException STOPPED = new IllegalStateException(
            "The invoker stopped while the action ran.");

    private final Vertx vertx;
    private final InvokerStore store;
    private final ContainerPool pool;
    private final RuntimeClient runtime;
    private final DockerEngine docker;
    private final WispImages images;
    private final KafkaSender sender;
    /** Completions: one record each while their controller's topic is quiet, several in one under load. */
    private final BatchingSender completions;
    /** When a slow wait for a container was last logged, and how many there were since. */
    private final AtomicLong slowLoggedAt = new AtomicLong();
    private final AtomicLong slowSinceLogged = new AtomicLong();
    private final String invokerName;
    private final Limits limits;
    /** Refusals by a store that answers before a record is stored trimmed. */
    static final int REFUSALS = 3;
    /** Longest pause between two tries to store a record while the store is away. */
    static final long RECORD_BACKOFF_MAX_MILLIS = 5_000;

    private final RetryPolicy retries;
    /** Records the store has not taken yet, by activation id, with when their first try failed. */
    private final java.util.Map<String, Long> waiting = new java.util.concurrent.ConcurrentHashMap<>();
    private final RunJournal journal;
    private final InvokerMetrics metrics;
    /**
     * The activations running here, by id, each until its run ended; the run's Future tells the attempt it handed
     * the activation on to (its next attempt is in Kafka), or {@link #NOT_HANDED_ON}, or fails as the run did. On
     * the invoker's context.
     */
    private final java.util.Map<String, Future<Integer>> running = new java.util.HashMap<>();
    /** Runs that ended by publishing their next attempt: activation id to that attempt. On the invoker's context. */
    private final java.util.Map<String, Integer> handedOn = new java.util.HashMap<>();
    private static final int NOT_HANDED_ON = -1;
    private final PlatformAccess platform;

    /**
     * What an action gets to call the platform: the API's address, and activation-scoped keys for actions that
     * may have one ({@link WhiskAction#providesApiKey()}), valid until {@code keyGrace} after the deadline.
     *
     * @param apiHost the API as containers reach it, or null: then no address and no key
     */
    public record PlatformAccess(String apiHost, ActivationKeys keys, Duration keyGrace) {
    }

    public ActivationRunner(Vertx vertx, InvokerStore store, ContainerPool pool, RuntimeClient runtime,
                            DockerEngine docker, WispImages images, KafkaSender sender, String invokerName,
                            Limits limits, RetryPolicy retries, RunJournal journal, InvokerMetrics metrics,
                            PlatformAccess platform) {
        this.vertx = vertx;
        this.store = store;
        this.pool = pool;
        this.runtime = runtime;
        this.docker = docker;
        this.sender = sender;
        this.completions = new BatchingSender(sender::send, COMPLETION_BATCH_BYTES, metrics::completionRecord);
        this.invokerName = invokerName;
        this.limits = limits;
        this.retries = retries;
        this.journal = journal;
        this.metrics = metrics;
        this.images = images;
        this.platform = platform;
    }

    /**
     * Runs the activation. The Future completes once its record is durable and the completion was sent (or, for
     * a retried one, once the next attempt is in Kafka), and fails only when that could not be done: then the
     * activation must stay uncommitted, and its feed hands it over again. It fails only before the action ran (its
     * earlier record could not be looked up) or once its record is stored (the completion not sent), so the run
     * handed over again does not run the action a second time. A delivery of an activation that is running here
     * already waits for that run to end and is then handled as a possible repeat: it finds the record, and the action
     * does not run twice on this invoker; when that run published a later attempt instead, the delivery ends there
     * (committed: the later attempt carries the activation on).
     *
     * @param maybeRedelivered the record may have been handled by a predecessor that died before committing: an
     *                         existing final record is acknowledged again instead of running the action twice (so
     *                         is one of an activation that arrived long ago, see {@link #CHECK_RECORD_AFTER_MILLIS}, and
     *                         one whose message says it may have been published before)
     */
    public Future<Void> run(ActivationMessage msg, boolean maybeRedelivered) {
        String id = msg.activationId().value();
        Future<Integer> ahead = running.get(id);
        if (ahead != null) {
            // another delivery of this activation runs here now (a sequence's component published again by the
            // sequence's next controller, an Idempotency-Key retry, a redelivery): once it ends, this one finds its
            // record instead of running the action beside it
            LOG.info("[{}] activation {} is running here already; this delivery waits for that run's record",
                    msg.transactionId(), msg.activationId());
            return ahead.transform(ar -> {
                if (ar.failed()) {
                    // that run failed in the system: this delivery fails too, and its feed hands it over again
                    // after a pause, if it still owns the partition, rather than running it at once beside a
                    // hand-over
                    return Future.<Void>failedFuture(ar.cause());
                }
                if (ar.result() > msg.attempt()) {
                    // that run failed in the system and published a later attempt, which carries the activation
                    // on; run here as well, it could run the action beside that attempt (no record to find yet)
                    LOG.info("[{}] activation {} went on to attempt {}; this delivery of attempt {} ends here",
                            msg.transactionId(), msg.activationId(), ar.result() + 1, msg.attempt() + 1);
                    return Future.<Void>succeededFuture();
                }
                return run(msg, true);
            });
        }
        Promise<Integer> ended = Promise.promise();
        running.put(id, ended.future());
        Future<Void> handled;
        try {
            handled = handle(msg, maybeRedelivered);
        } catch (RuntimeException e) {
            handled = Future.failedFuture(e);
        }
        return handled.onComplete(ar -> {
            running.remove(id);
            Integer next = handedOn.remove(id);
            if (ar.failed()) {
                ended.fail(ar.cause());
            } else {
                ended.complete(next != null ? next : NOT_HANDED_ON);
            }
        });
    }

    private Future<Void> handle(ActivationMessage msg, boolean maybeRedelivered) {
        boolean check = maybeRedelivered || msg.checkRecordFirst()
                || System.currentTimeMillis() - msg.arrivedAt() > CHECK_RECORD_AFTER_MILLIS;
        Future<Optional<Activation>> earlier = check ? store.activation(msg.activationId().value())
                : Future.succeededFuture(Optional.empty());
        return earlier.compose(found -> {
            if (found.isPresent()) {
                LOG.info("[{}] activation {} already has its final record; acknowledging it again",
                        msg.transactionId(), msg.activationId());
                byte[] encoded = Json.encode(found.get());
                return complete(msg, found.get(), encoded.length <= MAX_CARRIED_RECORD ? encoded : null);
            }
            return runFresh(msg, check);
        });
    }

    /** @param possibleRepeat another run of the same activation may store its record first */
    private Future<Void> runFresh(ActivationMessage msg, boolean possibleRepeat) {
        Future<Optional<WhiskAction>> action = msg.shippedAction() != null
                ? Future.succeededFuture(Optional.of(store.keep(msg.action().docId(), msg.revision(), msg.shippedAction())))
                : store.action(msg.action().docId(), msg.revision());
        return action
                .compose(found -> found.isPresent() ? execute(msg, found.get())
                        : Future.succeededFuture(ActivationRecords.systemError(msg,
                        "The action was deleted before it could run.")))
                .recover(e -> {
                    if (pool.closed()) {
                        // the invoker is stopping: no record, no retry; left uncommitted, the next owner runs it
                        return Future.failedFuture(e);
                    }
                    LOG.warn("[{}] activation {} failed in the system: {}", msg.transactionId(), msg.activationId(),
                            e.toString());
                    return Future.succeededFuture(ActivationRecords.systemError(msg, "The activation could not run: "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
                })
                .compose(a -> {
                    boolean systemError = a.response().statusCode() == ActivationResponse.SYSTEM_ERROR;
                    if (systemError && !msg.blocking() && msg.attempt() < retries.retries()) {
                        metrics.retried();
                        return retryLater(msg, a);
                    }
                    if (systemError && !msg.blocking() && retries.retries() > 0) {
                        a = ActivationRecords.deadLettered(a, msg.attempt() + 1);
                        metrics.deadLettered();
                        deadLetter(msg, a);
                    }
                    metrics.finished(a.response().status());
                    return finish(msg, a, possibleRepeat);
                });
    }

    /**
     * Ends an activation: a record small enough to ride on the completion goes out while it is written, so a
     * blocking caller does not wait for the store; a larger one is announced once stored, for the controller to
     * read. The offset is committed only when both are done. A possible repeat (redelivered, or published again)
     * may lose to the record of another run of the same activation (one that ran elsewhere at the same time, or
     * the reaper's): its completion waits for the store and carries the record stored, so that the caller is told
     * what the record says.
     */
    private Future<Void> finish(ActivationMessage msg, Activation a, boolean possibleRepeat) {
        byte[] encoded = Json.encode(a); // once: for the store, and carried on the completion
        Promise<Activation> recorded = Promise.promise();
        record(msg, a, encoded, 0, recorded);
        Future<Activation> stored = recorded.future();
        Future<Void> sent = encoded.length <= MAX_CARRIED_RECORD && !possibleRepeat ? complete(msg, a, encoded)
                : stored.compose(s -> {
                    byte[] carried = s == a ? encoded : Json.encode(s);
                    return complete(msg, s, carried.length <= MAX_CARRIED_RECORD ? carried : null);
                });
        // join, not all: a failed completion waits for the record, so the run handed over again finds it and only
        // sends the completion again instead of running the action a second time
        return Future.join(sent, stored).mapEmpty();
    }

    /** Since when the oldest record still waiting for the store has waited (epoch ms), or 0 when none waits. */
    public long recordsWaitingSince() {
        return waiting.values().stream().mapToLong(Long::longValue).min().orElse(0);
    }

    /**
     * Stores a final record until it is stored. A store that cannot be reached is waited for, as long as it
     * takes (the offset stays uncommitted meanwhile, and the feed pauses once {@code maxInFlight} wait): the
     * record is the activation's only outcome. A record the store answers but refuses, {@link #REFUSALS} times
     * (a poison record, e.g. logs over the store's largest document), is stored again trimmed: the outcome
     * kept when it is small, the logs replaced by a line that says why, so the partition goes on. A trimmed record
     * refused as well is replaced by a bare system error (no result, logs or annotations); only that refused too
     * fails the run.
     */
    private void record(ActivationMessage msg, Activation a, byte[] encoded, int attempt,
                        Promise<Activation> recorded) {
        store.putActivation(a, encoded).onComplete(ar -> {
            if (ar.succeeded()) {
                waiting.remove(msg.activationId().value());
                recorded.complete(ar.result());
                return;
            }
            waiting.putIfAbsent(msg.activationId().value(), System.currentTimeMillis());
            boolean refused = InvokerStore.refused(ar.cause());
            if (refused && attempt + 1 >= REFUSALS) {
                if (ActivationRecords.isBare(a)) {
                    LOG.error("[{}] the store refused even a bare record of {}: {}", msg.transactionId(),
                            msg.activationId(), ar.cause().toString());
                    waiting.remove(msg.activationId().value());
                    recorded.fail(ar.cause());
                    return;
                }
                if (ActivationRecords.isTrimmed(a)) {
                    // a failed run is handed over again and would run the action again: a bare system error
                    // (no result, logs or annotations) is stored instead
                    LOG.error("[{}] the store refused even the trimmed record of {} ({}); storing a bare one",
                            msg.transactionId(), msg.activationId(), ar.cause().toString());
                    Activation bare = ActivationRecords.bare(a, InvokerStore.answer(ar.cause()));
                    record(msg, bare, Json.encode(bare), 0, recorded);
                    return;
                }
                LOG.warn("[{}] the store refused the record of {} {} times ({}); storing it trimmed",
                        msg.transactionId(), msg.activationId(), REFUSALS, ar.cause().toString());
                metrics.recordTrimmed();
                String answer = InvokerStore.answer(ar.cause());
                Activation trimmed = ActivationRecords.trimmed(a, answer != null ? answer : ar.cause().getMessage());
                record(msg, trimmed, Json.encode(trimmed), 0, recorded);
                return;
            }
            long delay = Math.min(RECORD_BACKOFF_MAX_MILLIS, 100L << Math.min(attempt, 10));
            if (attempt == 3) {
                LOG.warn("[{}] the record of {} is not stored yet ({}); trying until it is, every {} ms at most",
                        msg.transactionId(), msg.activationId(), ar.cause().toString(), RECORD_BACKOFF_MAX_MILLIS);
            }
            vertx.setTimer(delay, t -> record(msg, a, encoded, attempt + 1, recorded));
        });
    }

    /** Publishes the next attempt after the backoff; the current offset is committed once it is in Kafka. */
    private Future<Void> retryLater(ActivationMessage msg, Activation failed) {
        ActivationMessage next = msg.nextAttempt();
        long delay = retries.backoff(next.attempt()).toMillis();
        LOG.info("[{}] activation {} failed in the system ({}); attempt {} in {} ms", msg.transactionId(),
                msg.activationId(), failed.response().result().path("error").asText(), next.attempt() + 1, delay);
        Promise<Void> published = Promise.promise();
        vertx.setTimer(Math.max(1, delay), t -> sender.send(Topics.invoker(invokerName), msg.activationId().value(),
                Json.encode(next)).onSuccess(v -> handedOn.put(msg.activationId().value(), next.attempt()))
                .onComplete(published));
        // the next attempt not published: this failure is the activation's final record (failing the run would
        // hand it over to run the action again here, every few seconds); a next attempt that did reach Kafka
        // finds this record
        return published.future().recover(e -> {
            LOG.warn("[{}] attempt {} of {} not published ({}); its failure is recorded as final",
                    msg.transactionId(), next.attempt() + 1, msg.activationId(), e.toString());
            Activation last = ActivationRecords.deadLettered(failed, msg.attempt() + 1);
            metrics.deadLettered();
            deadLetter(msg, last);
            // an attempt whose publish has an unknown outcome may run and store first: then its record is sent
            return finish(msg, last, e.getCause() != null);
        });
    }

    private void deadLetter(ActivationMessage msg, Activation a) {
        DeadLetter letter = new DeadLetter(msg.activationId(), msg.action().namespace(), msg.action().docId(),
                msg.attempt() + 1, a.response().result().path("error").asText(), System.currentTimeMillis(), msg);
        sender.send(Topics.DEAD_LETTERS, msg.activationId().value(), Json.encode(letter))
                .onFailure(e -> LOG.warn("[{}] dead letter of {} not published: {}", msg.transactionId(),
                        msg.activationId(), e.toString()));
    }

    private Future<Activation> execute(ActivationMessage msg, WhiskAction action) {
        String image = Kinds.imageFor(action.exec()).orElse(null);
        if (image == null) {
            return Future.succeededFuture(ActivationRecords.systemError(msg, "No runtime image for kind '"
                    + action.exec().kind() + "'."));
        }
        long start = System.currentTimeMillis();
        // a container serves one namespace: a published action invoked from another never shares its state
        String key = ContainerPool.Request.key(msg.user().namespace(), msg.action().docId(), msg.revision());
        return images.isWispRuntime(image)
                .compose(wispRuntime -> pool.acquire(new ContainerPool.Request(key, image, action.limits().memory(),
                        action.limits().concurrency(), wispRuntime)))
                .recover(e -> Future.failedFuture(e instanceof DockerEngine.ImageMissingException
                        ? new ActionSetupException("The image " + image + " is not present on the invoker and cannot be pulled.")
                        : e))
                .compose(c -> {
                    // the record's start: the action's own time (its /init and /run) begins once it has a
                    // container; the wait for one counts in the waitTime annotation, as in OpenWhisk
                    long begun = System.currentTimeMillis();
                    slowContainer(msg, begun - start);
                    return c.needsInit() ? initThenRun(msg, action, c, begun) : runIn(msg, action, c, begun, -1);
                })
                .recover(e -> e instanceof ActionSetupException
                        ? Future.succeededFuture(ActivationRecords.of(msg, action,
                                ActivationResponse.developerError(e.getMessage()), start, System.currentTimeMillis(), -1,
                                false, List.of()))
                        : Future.failedFuture(e));
    }

    /**
     * Says so when an activation waited long for its container (it counts in the record's {@code waitTime}), with
     * what the pool held then: on a slow Docker engine, runs waited minutes with nothing in the log to say why.
     */
    private void slowContainer(ActivationMessage msg, long waited) {
        if (waited < SLOW_CONTAINER_MILLIS) {
            return;
        }
        long now = System.currentTimeMillis();
        long others = slowSinceLogged.getAndIncrement();
        long last = slowLoggedAt.get();
        if (now - last >= SLOW_CONTAINER_MILLIS && slowLoggedAt.compareAndSet(last, now)) {
            slowSinceLogged.addAndGet(-others - 1);
            LOG.warn("[{}] activation {} waited {} ms for a container of {} ({} more waited over {} ms since the last"
                            + " such line): the pool holds {} containers ({} paused, {} stem cells, {} MB used), {}"
                            + " activations wait for one", msg.transactionId(), msg.activationId(), waited,
                    msg.action().docId(), others, SLOW_CONTAINER_MILLIS, pool.size(), pool.paused(), pool.stemCells(),
                    pool.usedMemoryMb(), pool.queued());
        }
    }

    private Future<Activation> initThenRun(ActivationMessage msg, WhiskAction action, PooledContainer c, long start) {
        ObjectNode value = Json.object()
                .put("name", action.name())
                .put("main", action.exec().main() == null ? "main" : action.exec().main())
                .put("code", action.exec().code() == null ? "" : action.exec().code())
                .put("binary", action.exec().isBinary());
        value.set("env", Json.object());
        int timeout = action.limits().timeout();
        metrics.coldStart();
        return runtime.init(c.endpoint(), value, timeout).compose(r -> {
            long initTime = System.currentTimeMillis() - start;
            if (r.answered() && r.status() == 200) {
                pool.initialized(c);
                return runIn(msg, action, c, start, initTime);
            }
            if (!r.answered() && pool.closed()) {
                return Future.failedFuture(STOPPED);
            }
            ActivationResponse response = r.timedOut() || r.answered()
                    ? ActivationRecords.classify(r, timeout, limits.resultBytes())
                    : ActivationResponse.developerError(r.failure());
            if (response.success()) {
                response = ActivationResponse.developerError("The action failed to initialize (status " + r.status() + ").");
            }
            pool.destroy(c);
            long end = System.currentTimeMillis();
            return Future.succeededFuture(ActivationRecords.of(msg, action, response, start, end, initTime,
                    r.timedOut(), r.logs()));
        });
    }

    private Future<Activation> runIn(ActivationMessage msg, WhiskAction action, PooledContainer c, long start,
                                     long initTime) {
        int timeout = action.limits().timeout();
        long runStart = System.currentTimeMillis();
        ObjectNode body = Json.object();
        body.set("value", msg.content());
        body.put("namespace", msg.user().namespace())
                .put("action_name", "/" + msg.action().docId())
                .put("action_version", action.version().toString())
                .put("activation_id", msg.activationId().value())
                .put("transaction_id", msg.transactionId().value())
                .put("deadline", String.valueOf(runStart + timeout));
        if (platform.apiHost() != null) {
            body.put("api_host", platform.apiHost());
            if (action.providesApiKey()) {
                body.put("api_key", platform.keys().mint(msg.user().uuid(), msg.user().namespace(),
                        msg.activationId(), runStart + timeout + platform.keyGrace().toMillis()));
            }
        }
        long logLimit = action.limits().logs() * 1024L * 1024L;
        journal.ran(msg.activationId().value());
        return runtime.run(c.endpoint(), body, timeout, Math.max(1, logLimit))
                .compose(r -> r.envelope() ? Future.succeededFuture(r)
                        : docker.logsSince(c.id(), runStart, logLimit).otherwise(List.of()).map(r::withLogs))
                .compose(r -> {
            long end = System.currentTimeMillis();
            if (r.answered()) {
                pool.release(c, end - runStart);
                return Future.succeededFuture(ActivationRecords.of(msg, action,
                        ActivationRecords.classify(r, timeout, limits.resultBytes()), start, end, initTime, false, r.logs()));
            }
            if (pool.closed()) {
                return Future.failedFuture(STOPPED); // not the action's failure: left for the next owner
            }
            Future<Boolean> oom = r.timedOut() ? Future.succeededFuture(false) : docker.oomKilled(c.id());
            return oom.otherwise(false).map(killed -> {
                pool.destroy(c);
                ActivationResponse response = killed ? ActivationResponse.developerError(ActivationRecords.OOM)
                        : ActivationRecords.classify(r, timeout, limits.resultBytes());
                return ActivationRecords.of(msg, action, response, start, end, initTime, r.timedOut(), r.logs());
            });
        });
    }

    /** @param carried the record as JSON, to ride on the completion; null for a completion without it */
    private Future<Void> complete(ActivationMessage msg, Activation stored, byte[] carried) {
        CompletionMessage completion = new CompletionMessage(msg.transactionId(), msg.activationId(), invokerName,
                stored.response().statusCode() == ActivationResponse.SYSTEM_ERROR, null);
        LOG.debug("[{}] activation {} finished: {} in {} ms", msg.transactionId(), msg.activationId(),
                stored.response().status(), stored.duration());
        return completions.send(Topics.completions(msg.replyTo()), msg.activationId().value(),
                        carrying(completion, carried))
                .recover(e -> {
                    // The record is durable; a lost completion only delays a blocking caller to its 202.
                    LOG.warn("[{}] completion of {} not sent: {}", msg.transactionId(), msg.activationId(), e.toString());
                    return Future.succeededFuture();
                });
    }

    /**
     * A completion as JSON with the record, already encoded, as its {@code activation}: the record is not encoded
     * a second time.
     */
    static byte[] carrying(CompletionMessage withoutRecord, byte[] record) {
        byte[] head = Json.encode(withoutRecord);
        if (record == null) {
            return head;
        }
        byte[] field = ",\"activation\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length - 1 + field.length + record.length + 1];
        System.arraycopy(head, 0, out, 0, head.length - 1); // without its closing brace
        System.arraycopy(field, 0, out, head.length - 1, field.length);
        System.arraycopy(record, 0, out, head.length - 1 + field.length, record.length);
        out[out.length - 1] = '}';
        return out;
    }

    /** A user's mistake found while setting up the container (e.g. a missing image): a developer error. */
    private static final class ActionSetupException extends RuntimeException {
        ActionSetupException(String message) {
            super(message, null, false, false);
        }
    }
}
