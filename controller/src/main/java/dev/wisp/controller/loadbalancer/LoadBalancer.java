package dev.wisp.controller.loadbalancer;

import dev.wisp.common.codec.Json;
import dev.wisp.common.error.WispException;
import dev.wisp.common.kafka.KafkaSender;
import dev.wisp.common.kafka.Topics;
import dev.wisp.common.message.ActivationMessage;
import dev.wisp.common.zookeeper.MemberInfo;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * Chooses an invoker for each activation and publishes it to that invoker's topic. An action has a home invoker
 * (a hash of its path, so its warm containers get reused); when the home is full the activation overflows to
 * the next invoker with room instead of queueing behind it. "Full" means this controller's share of the
 * invoker's memory is taken by its own activations in flight (the share is re-computed from the number of live
 * controllers on every decision, so capacity is re-shared when one joins or leaves), or the invoker itself
 * reports a backlog larger than it can run at once. When every invoker is full the home gets the work and
 * queues it. Thread-safe; {@link #release} is called from the completion feed's thread.
 */
public final class LoadBalancer {
    private static final int MB_PER_SLOT = 256;

    private final InvokerPool invokers;
    private final KafkaSender sender;
    private final IntSupplier liveControllers;
    private final Map<String, Placement> placements = new ConcurrentHashMap<>();
    private final Map<String, Integer> usedMb = new ConcurrentHashMap<>();

    private record Placement(String invoker, int memoryMb, long at) {
    }

    public LoadBalancer(InvokerPool invokers, KafkaSender sender, IntSupplier liveControllers) {
        this.invokers = Objects.requireNonNull(invokers, "invokers");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.liveControllers = Objects.requireNonNull(liveControllers, "liveControllers");
    }

    /**
     * Publishes the activation; completes once Kafka has it on every in-sync replica.
     *
     * @param memoryMb the action's memory limit, what the activation takes of the invoker's capacity
     * @return the chosen invoker's id; fails with UNAVAILABLE when no invoker is healthy or Kafka did not confirm
     */
    public Future<String> publish(ActivationMessage msg, int memoryMb) {
        List<MemberInfo> healthy = invokers.healthy();
        if (healthy.isEmpty()) {
            return Future.failedFuture(WispException.unavailable("No invokers available."));
        }
        MemberInfo chosen = choose(healthy, Math.floorMod(msg.action().docId().hashCode(), healthy.size()), memoryMb);
        String id = msg.activationId().value();
        Placement replaced = placements.put(id, new Placement(chosen.id(), memoryMb, System.currentTimeMillis()));
        usedMb.merge(chosen.id(), memoryMb, Integer::sum);
        if (replaced != null) {
            // the same id placed again (an idempotent retry took over its key): its memory counts once
            free(replaced);
        }
        byte[] encoded = Json.encode(msg);
        if (encoded.length > KafkaSender.MAX_RECORD_BYTES && msg.shippedAction() != null) {
            encoded = Json.encode(msg.withShippedAction(null)); // a payload near the record limit: the invoker loads it
        }
        return sender.send(Topics.invoker(chosen.id()), id, encoded)
                .onFailure(e -> release(id))
                .map(v -> chosen.id());
    }

    private MemberInfo choose(List<MemberInfo> healthy, int home, int memoryMb) {
        return choose(healthy, home, memoryMb, Math.max(1, liveControllers.getAsInt()), usedMb);
    }

    /**
     * The placement rule, alone: from the home invoker on, the first whose share for this controller (its memory
     * divided among {@code controllers}) still fits {@code memoryMb} beside {@code usedMb} and that reports no
     * backlog above twice its slots; the home itself when none does.
     */
    static MemberInfo choose(List<MemberInfo> healthy, int home, int memoryMb, int controllers,
                             Map<String, Integer> usedMb) {
        for (int i = 0; i < healthy.size(); i++) {
            MemberInfo candidate = healthy.get((home + i) % healthy.size());
            int share = Math.max(memoryMb, candidate.memoryMb() / controllers);
            int used = usedMb.getOrDefault(candidate.id(), 0);
            int slots = Math.max(1, candidate.memoryMb() / MB_PER_SLOT);
            boolean backedUp = candidate.backlog() > 2 * slots;
            if (used + memoryMb <= share && !backedUp) {
                return candidate;
            }
        }
        return healthy.get(home);
    }

    /** Frees the capacity an activation held, when its completion arrives or its publish failed. */
    public void release(String activationId) {
        Placement p = placements.remove(activationId);
        if (p != null) {
            free(p);
        }
    }

    /** Gives a placement's memory back to its invoker's count (never below zero; an invoker at zero is dropped). */
    private void free(Placement p) {
        usedMb.merge(p.invoker(), -p.memoryMb(), (a, b) -> Math.max(0, a + b) == 0 ? null : a + b);
    }

    /** Forgets placements whose completion never came (e.g. lost with a dead controller's topic). */
    public void sweep(long olderThanMillis) {
        long cutoff = System.currentTimeMillis() - olderThanMillis;
        placements.entrySet().removeIf(e -> {
            if (e.getValue().at() < cutoff) {
                free(e.getValue());
                return true;
            }
            return false;
        });
    }

    /** Memory of this controller's activations in flight, by invoker. */
    public Map<String, Integer> inFlightMb() {
        return Map.copyOf(usedMb);
    }
}
