package dev.wisp.controller.activation;

import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.Activation;
import dev.wisp.common.entity.ActivationResponse;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.KeyValue;
import dev.wisp.common.message.ActivationId;
import dev.wisp.common.message.ActivationMessage;
import dev.wisp.common.message.DeadLetter;
import dev.wisp.common.message.TransactionId;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Never silence: every activation this controller accepted that has no final record by its deadline (its
 * publish plus the action's timeout plus {@code grace}) gets one, a system error annotated {@code reaped} and
 * {@code deadLetter}, and a dead letter. The record is created only if none exists (the store refuses a second
 * document with the activation id), so whoever writes first wins: a late invoker finds the reaper's record and
 * keeps it, and two controllers tracking the same id cannot both write. Pending ids are kept in memory: a
 * controller that dies takes its list with it.
 */
public final class Reaper {
    private static final Logger LOG = LoggerFactory.getLogger(Reaper.class);

    private final Duration grace;
    private final LongSupplier clock;
    private final Function<Activation, Future<Boolean>> putIfAbsent;
    private final Function<DeadLetter, Future<Void>> deadLetters;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    /** One tracking of an activation, as {@link #track} returned it: what {@link #withdraw} forgets. */
    public sealed interface Tracking permits Pending {
    }

    /** What the reaper keeps of an accepted activation (not its parameters). */
    private record Pending(TransactionId transactionId, ActivationId activationId, EntityPath action, String version,
                           String subject, long arrivedAt, int timeoutMs, long deadline) implements Tracking {
    }

    /**
     * @param putIfAbsent stores a record unless one with its id exists; true when it stored this one
     * @param deadLetters publishes a dead letter
     */
    public Reaper(Duration grace, LongSupplier clock, Function<Activation, Future<Boolean>> putIfAbsent,
                  Function<DeadLetter, Future<Void>> deadLetters) {
        this.grace = Objects.requireNonNull(grace, "grace");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.putIfAbsent = Objects.requireNonNull(putIfAbsent, "putIfAbsent");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
    }

    /**
     * Watches an accepted activation (or one about to be published). An id watched already stays watched as it was:
     * the same activation published again (an idempotent retry, a sequence's component) is still the one the
     * earlier publish put in Kafka. Any thread.
     *
     * @param since when its deadline starts counting (epoch ms): when it is published, which for a publish that took
     *              over an idempotency key is later than its arrival (the key's first request, perhaps hours ago,
     *              with the record's times counted from it); for an activation read back from Kafka, its arrival
     */
    public Tracking track(ActivationMessage msg, int timeoutMs, long since) {
        Pending p = new Pending(msg.transactionId(), msg.activationId(), msg.action(), msg.version(),
                msg.user().subject(), msg.arrivedAt(), timeoutMs, since + timeoutMs + grace.toMillis());
        pending.putIfAbsent(msg.activationId().value(), p);
        return p;
    }

    /**
     * Forgets what this tracking added, e.g. for an activation whose publish failed; an id that was watched before
     * it (see {@link #track}) stays watched. Any thread.
     */
    public void withdraw(Tracking tracking) {
        Pending p = (Pending) tracking;
        pending.computeIfPresent(p.activationId().value(), (id, now) -> now == p ? null : now);
    }

    /** Forgets an activation whose completion arrived. Any thread. */
    public void completed(ActivationId id) {
        pending.remove(id.value());
    }

    /** Activations watched now. */
    public int pending() {
        return pending.size();
    }

    /**
     * Gives every activation past its deadline a final record unless it has one. Called on a Vert.x context.
     *
     * @return how many records the reaper wrote
     */
    public Future<Integer> sweep() {
        long now = clock.getAsLong();
        List<Future<Boolean>> writes = new ArrayList<>();
        for (Pending p : List.copyOf(pending.values())) {
            if (p.deadline() > now || pending.remove(p.activationId().value()) == null) {
                continue;
            }
            Activation record = record(p, now);
            writes.add(putIfAbsent.apply(record).onSuccess(wrote -> {
                if (wrote) {
                    Pending a = p;
                    LOG.warn("[{}] activation {} of {} had no final record {} ms past its time limit; recorded it"
                            + " as a system error", a.transactionId(), a.activationId(), a.action(), grace.toMillis());
                    deadLetters.apply(new DeadLetter(a.activationId(), a.action().namespace(), a.action().docId(), 0,
                            reason(p), now, null));
                }
            }).onFailure(e -> pending.putIfAbsent(p.activationId().value(), p))); // next sweep
        }
        return Future.join(writes).map(cf -> (int) writes.stream()
                .filter(f -> f.succeeded() && Boolean.TRUE.equals(f.result())).count());
    }

    private String reason(Pending p) {
        return "The activation got no result within its time limit of " + p.timeoutMs() + " milliseconds plus "
                + grace.toSeconds() + " seconds; the system gave it up.";
    }

    private Activation record(Pending p, long now) {
        Pending a = p;
        List<KeyValue> annotations = List.of(new KeyValue("path", Json.toTree(a.action().docId())),
                new KeyValue("waitTime", Json.toTree(Math.max(0, now - a.arrivedAt()))),
                new KeyValue("reaped", Json.toTree(true)),
                new KeyValue("deadLetter", Json.toTree(true)));
        return new Activation(a.action().namespace(), a.action().relative(), a.subject(), a.activationId().value(),
                a.version() == null ? "0.0.1" : a.version(), false, now, now, 0,
                ActivationResponse.systemError(reason(p)), List.of(), annotations, null);
    }
}
