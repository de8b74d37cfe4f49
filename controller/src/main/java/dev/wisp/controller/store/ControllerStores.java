package dev.wisp.controller.store;

import dev.wisp.common.store.CouchStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Every store the controller reads and writes. Opening one makes its database and its views when they are missing
 * and checks them otherwise: two or three requests to the store each, blocking. One after the other they were the
 * larger half of a controller's start (about 0.6 of 1.1 s on a new store on two cores, issue 17). {@link #opening}
 * opens them all at once, on a thread each: a controller does that while it sets up ZooKeeper and Kafka, and
 * {@code ./wisp standalone} once ahead, while its broker starts.
 */
public record ControllerStores(SubjectStore subjects, EntityStore entities, PackageStore packages,
                               ActivationStore activations, IdempotencyStore idempotency, TriggerStore triggers,
                               AlarmTriggerStore alarms, ApiStore apis) {

    /**
     * Starts opening every store, each on a daemon thread of its own; the result fails with the first store's
     * failure. Several stores share a database: a creation that loses the race is answered 412, which Ektorp takes
     * for "exists"; each store's views are a design document of its own.
     */
    public static CompletableFuture<ControllerStores> opening(CouchStore store) {
        ExecutorService threads = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().name("wisp-store-open-", 0).daemon().factory());
        try {
            var subjects = on(threads, () -> new SubjectStore(store));
            var entities = on(threads, () -> new EntityStore(store));
            var packages = on(threads, () -> new PackageStore(store));
            var activations = on(threads, () -> new ActivationStore(store));
            var idempotency = on(threads, () -> new IdempotencyStore(store));
            var triggers = on(threads, () -> new TriggerStore(store));
            var alarms = on(threads, () -> new AlarmTriggerStore(store));
            var apis = on(threads, () -> new ApiStore(store));
            return CompletableFuture.allOf(subjects, entities, packages, activations, idempotency, triggers, alarms,
                    apis).thenApply(v -> new ControllerStores(subjects.join(), entities.join(), packages.join(),
                    activations.join(), idempotency.join(), triggers.join(), alarms.join(), apis.join()));
        } finally {
            threads.shutdown(); // what was submitted still runs; each thread ends with its task
        }
    }

    private static <T> CompletableFuture<T> on(ExecutorService threads, Supplier<T> open) {
        return CompletableFuture.supplyAsync(open, threads);
    }

    /** {@link #opening}'s result, waited for, with the failure of the store that failed. Blocking. */
    public static ControllerStores await(CompletableFuture<ControllerStores> opening) throws Exception {
        try {
            return opening.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
