package dev.wisp.invoker.pool;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.invoker.docker.BridgeNetwork;
import dev.wisp.invoker.docker.ContainerEngine;
import dev.wisp.invoker.docker.ContainerSpec;
import dev.wisp.invoker.runtime.RuntimeClient;
import dev.wisp.invoker.docker.StartedContainer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pool's choices against a fake engine: warm reuse, cold starts per action, memory, eviction, pausing and
 * reaping, and what a container's death does. Every pool call runs on one Vert.x context, as in the invoker.
 */
class ContainerPoolTest {
    private static final String IMAGE = "wisp/action-nodejs:latest";
    private static final String OTHER_IMAGE = "wisp/action-python:latest";
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static Vertx vertx;

    private final FakeEngine engine = new FakeEngine();
    private final Context context = vertx.getOrCreateContext();
    private ContainerPool pool;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() throws Exception {
        done(vertx.close());
    }

    @AfterEach
    void closePool() throws Exception {
        if (pool != null) {
            done(on(() -> pool.close()));
        }
    }

    private ContainerPool pool(int userMemoryMb, Duration pauseGrace, Duration idleTimeout, PrewarmSpec... prewarm) {
        pool = new ContainerPool(vertx, engine, new PoolConfig("invoker0", userMemoryMb, "wisp-test", false,
                pauseGrace, idleTimeout, List.of(prewarm)));
        return pool;
    }

    /** A pool whose missing stem cells take the memory of containers unused for {@code reclaimAfter}. */
    private ContainerPool reclaiming(int userMemoryMb, Duration reclaimAfter, PrewarmSpec... prewarm) {
        pool = new ContainerPool(vertx, engine, new PoolConfig("invoker0", userMemoryMb, "wisp-test", false,
                MINUTE, MINUTE, List.of(prewarm), reclaimAfter, null, 0, 0));
        return pool;
    }

    private ContainerPool pool(int userMemoryMb) {
        return pool(userMemoryMb, MINUTE, MINUTE);
    }

    private static ContainerPool.Request request(String namespace, String action, int memoryMb, int concurrency) {
        return new ContainerPool.Request(ContainerPool.Request.key(namespace, action, "1"), IMAGE, memoryMb,
                concurrency, true);
    }

    private static final ContainerPool.Request A = request("alice", "alice/hello", 256, 1);
    private static final ContainerPool.Request B = request("alice", "alice/other", 256, 1);
    /** An action whose container serves three activations at once. */
    private static final ContainerPool.Request THREE_AT_ONCE = request("alice", "alice/many", 256, 3);
    private static final ContainerPool.Request TWO_AT_ONCE = request("alice", "alice/pair", 256, 2);

    /** A container for {@code r}, already started and initialized. */
    private PooledContainer warm(ContainerPool.Request r) throws Exception {
        PooledContainer c = done(on(() -> pool.acquire(r)));
        on(() -> {
            pool.initialized(c);
            return null;
        });
        return c;
    }

    private void release(PooledContainer c) throws Exception {
        on(() -> {
            pool.release(c);
            return null;
        });
    }

    @Test
    void aReleasedContainerIsReusedWarmForTheSameNamespaceAndRevision() throws Exception {
        pool(1024);
        PooledContainer first = done(on(() -> pool.acquire(A)));
        assertTrue(first.needsInit(), "a new container needs /init");
        on(() -> {
            pool.initialized(first);
            pool.release(first);
            return null;
        });
        PooledContainer second = done(on(() -> pool.acquire(A)));
        assertSame(first, second);
        assertFalse(second.needsInit());
        assertEquals(1, engine.started.size());
    }

    @Test
    void anotherNamespaceOrRevisionGetsAContainerOfItsOwn() throws Exception {
        pool(1024);
        release(warm(A));
        PooledContainer bob = done(on(() -> pool.acquire(request("bob", "alice/hello", 256, 1))));
        PooledContainer newer = done(on(() -> pool.acquire(new ContainerPool.Request(
                ContainerPool.Request.key("alice", "alice/hello", "2"), IMAGE, 256, 1, true))));
        assertTrue(bob.needsInit() && newer.needsInit());
        assertEquals(3, engine.started.size());
        assertEquals(3, (int) on(() -> pool.size()));
    }

    @Test
    void atMostTwoContainersOfOneActionStartAtOnce() throws Exception {
        engine.hold = true; // starts finish when the test says
        pool(2048);
        Future<PooledContainer> first = on(() -> pool.acquire(A));
        Future<PooledContainer> second = on(() -> pool.acquire(A));
        Future<PooledContainer> third = on(() -> pool.acquire(A));
        assertEquals(2, engine.started.size());
        assertEquals(1, (int) on(() -> pool.queued()), "the third waits for the two starting");
        on(() -> engine.finishNextStart());
        PooledContainer c = done(first);
        on(() -> {
            pool.initialized(c);
            return null;
        });
        assertEquals(3, engine.started.size(), "one is still starting, so the waiting request may start another");
        assertEquals(0, (int) on(() -> pool.queued()));
        on(() -> engine.finishNextStart());
        on(() -> engine.finishNextStart());
        assertNotSame(done(second), done(third));
    }

    @Test
    void aQueueTheBusyWarmContainerDrainsSoonerThanAColdStartWaitsForIt() throws Exception {
        pool(2048);
        PooledContainer c = warm(A); // a cold start measured (here: next to nothing, averaged from 1 s)
        on(() -> {
            pool.release(c, 5); // the action runs in 5 ms
            return null;
        });
        assertSame(c, done(on(() -> pool.acquire(A))));
        Future<PooledContainer> next = on(() -> pool.acquire(A));
        assertEquals(1, engine.started.size(), "the busy container is free again long before another would start");
        assertEquals(1, (int) on(() -> pool.queued()));
        on(() -> {
            pool.release(c, 5);
            return null;
        });
        assertSame(c, done(next));
    }

    @Test
    void requestsWaitingWithoutABreakForAColdStartsLengthGetAnotherContainer() throws Exception {
        pool(2048);
        done(on(() -> pool.start())); // its periodic turn looks at the queue even when nothing is released
        PooledContainer c = warm(A);
        on(() -> {
            pool.release(c, 5);
            return null;
        });
        assertSame(c, done(on(() -> pool.acquire(A)))); // and it stays busy: a run stuck, or a load it cannot follow
        Future<PooledContainer> next = on(() -> pool.acquire(A));
        assertEquals(1, engine.started.size());
        await().atMost(5, SECONDS).until(() -> engine.started.size() == 2);
        assertNotSame(c, done(next));
    }

    @Test
    void aSlowActionsBusyContainerDoesNotHoldBackAnother() throws Exception {
        pool(2048);
        PooledContainer c = warm(A);
        on(() -> {
            pool.release(c, 60_000); // the action runs for a minute, far longer than a container takes to start
            return null;
        });
        assertSame(c, done(on(() -> pool.acquire(A))));
        PooledContainer second = done(on(() -> pool.acquire(A)));
        assertNotSame(c, second);
        assertEquals(2, engine.started.size());
    }

    @Test
    void atMostFourContainersAreCreatedAtOnce() throws Exception {
        engine.hold = true;
        pool(4096);
        List<Future<PooledContainer>> asked = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ContainerPool.Request r = request("alice", "alice/a" + i, 256, 1);
            asked.add(on(() -> pool.acquire(r)));
        }
        assertEquals(ContainerPool.MAX_CREATES_AT_ONCE, engine.started.size());
        assertEquals(2, (int) on(() -> pool.queued()));
        on(() -> engine.finishNextStart());
        assertEquals(ContainerPool.MAX_CREATES_AT_ONCE + 1, engine.started.size(), "a finished create lets one more start");
        for (int i = 0; i < 5; i++) {
            on(() -> engine.finishNextStart());
        }
        for (Future<PooledContainer> f : asked) {
            assertTrue(done(f).needsInit());
        }
        assertEquals(6, engine.started.size());
    }

    @Test
    void aContainerServingSeveralAtOnceIsJoinedWhileItStarts() throws Exception {
        pool(1024);
        PooledContainer c = done(on(() -> pool.acquire(THREE_AT_ONCE)));
        Future<PooledContainer> second = on(() -> pool.acquire(THREE_AT_ONCE));
        Future<PooledContainer> third = on(() -> pool.acquire(THREE_AT_ONCE));
        assertFalse(second.isComplete(), "a joiner waits for the first user's /init");
        on(() -> {
            pool.initialized(c);
            return null;
        });
        assertSame(c, done(second));
        assertSame(c, done(third));
        assertEquals(1, engine.started.size());
        assertNotSame(c, done(on(() -> pool.acquire(THREE_AT_ONCE))), "a fourth does not fit the container");
    }

    @Test
    void memoryIsCountedForEveryContainerAndReturnedWhenOneIsDestroyed() throws Exception {
        pool(1024);
        PooledContainer a = warm(A);
        warm(request("alice", "alice/big", 512, 1));
        assertEquals(768, (int) on(() -> pool.usedMemoryMb()));
        on(() -> {
            pool.destroy(a);
            return null;
        });
        assertEquals(512, (int) on(() -> pool.usedMemoryMb()));
        assertEquals(List.of(a.id()), engine.removed);
    }

    @Test
    void aRequestLargerThanTheUserMemoryFailsNamingBothSizes() throws Exception {
        pool(1024);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> done(on(() -> pool.acquire(request("alice", "alice/huge", 2048, 1)))));
        assertTrue(e.getCause().getMessage().contains("2048 MB"), e.getCause().getMessage());
        assertTrue(e.getCause().getMessage().contains("1024 MB"), e.getCause().getMessage());
        assertTrue(engine.started.isEmpty());
    }

    @Test
    void idleContainersOfOtherActionsAreEvictedLeastRecentlyUsedFirst() throws Exception {
        pool(512);
        PooledContainer a = warm(A);
        PooledContainer b = warm(B);
        release(b);
        long releasedB = System.currentTimeMillis();
        await().atMost(5, SECONDS).until(() -> System.currentTimeMillis() > releasedB);
        release(a);
        PooledContainer c = done(on(() -> pool.acquire(request("alice", "alice/third", 256, 1))));
        assertEquals(List.of(b.id()), engine.removed, "the one idle longest makes room");
        assertEquals(512, (int) on(() -> pool.usedMemoryMb()));
        assertTrue(c.needsInit());
    }

    @Test
    void anActionsSecondContainerIsEvictedBeforeAnotherActionsOnlyOne() throws Exception {
        pool(768);
        PooledContainer b = warm(B);
        release(b); // B's only container: idle longest
        long releasedB = System.currentTimeMillis();
        await().atMost(5, SECONDS).until(() -> System.currentTimeMillis() > releasedB);
        PooledContainer a1 = warm(A);
        PooledContainer a2 = warm(A); // a burst: A's first container was busy
        assertNotEquals(a1.id(), a2.id());
        release(a1);
        release(a2);
        done(on(() -> pool.acquire(request("alice", "alice/third", 256, 1))));
        assertEquals(1, engine.removed.size());
        assertTrue(List.of(a1.id(), a2.id()).contains(engine.removed.get(0)),
                "one of A's two containers makes room, not B's only one (idle longest): " + engine.removed);
        assertEquals(b.id(), done(on(() -> pool.acquire(B))).id(), "B is still warm");
    }

    @Test
    void busyContainersAreNeverEvictedSoARequestWaitsForMemory() throws Exception {
        pool(512);
        PooledContainer a = warm(A);
        warm(B);
        Future<PooledContainer> third = on(() -> pool.acquire(request("alice", "alice/third", 256, 1)));
        assertFalse(third.isComplete());
        assertEquals(1, (int) on(() -> pool.queued()));
        release(a);
        done(third);
        assertEquals(List.of(a.id()), engine.removed, "released, it was evicted for the waiting request");
        assertEquals(512, (int) on(() -> pool.usedMemoryMb()));
    }

    @Test
    void aStemCellOfTheSameImageAndMemoryIsTakenAndRefilled() throws Exception {
        pool(1024, MINUTE, MINUTE, new PrewarmSpec(IMAGE, 256, 1));
        done(on(() -> pool.start()));
        assertEquals(1, (int) on(() -> pool.stemCells()));
        String stemCell = engine.started.get(0).name();
        PooledContainer c = done(on(() -> pool.acquire(A)));
        assertEquals(stemCell, c.name());
        assertEquals(A.key(), c.key());
        assertTrue(c.needsInit(), "a stem cell is started, not initialized");
        assertEquals(1, engine.started.size(), "its replacement does not compete with the first run in it");
        release(c);
        assertEquals(1, (int) on(() -> pool.stemCells()), "a new stem cell replaces it after that run");
        assertEquals(2, engine.started.size());
        assertFalse(engine.started.get(1).env().containsKey(RuntimeClient.WARMUP_ENV), "a stem cell warms up");
        PooledContainer cold = done(on(() -> pool.acquire(request("alice", "alice/big", 512, 1))));
        assertEquals("0", engine.started.get(2).env().get(RuntimeClient.WARMUP_ENV),
                "a container a request waits for opens its port without warming up: " + cold.name());
    }

    @Test
    void aStemCellWhoseFirstRunIsLongIsReplacedAfterAWhile() throws Exception {
        pool(1024, MINUTE, MINUTE, new PrewarmSpec(IMAGE, 256, 1));
        done(on(() -> pool.start()));
        PooledContainer c = done(on(() -> pool.acquire(A)));
        assertEquals(A.key(), c.key());
        assertEquals(0, (int) on(() -> pool.stemCells()));
        await().atMost(5, SECONDS).until(() -> on(() -> pool.stemCells()) == 1);
        assertEquals(2, engine.started.size());
        release(c);
        assertEquals(2, engine.started.size(), "replaced once, not again on release");
    }

    @Test
    void stemCellsAreEvictedBeforeWarmContainers() throws Exception {
        pool(512, MINUTE, MINUTE, new PrewarmSpec(OTHER_IMAGE, 256, 1));
        release(warm(A));
        long releasedA = System.currentTimeMillis();
        await().atMost(5, SECONDS).until(() -> System.currentTimeMillis() > releasedA);
        done(on(() -> pool.start())); // the stem cell is newer than the idle container of A
        String stemCell = engine.started.get(1).name();
        warm(B);
        assertEquals(List.of("id-" + stemCell), engine.removed);
        assertEquals(0, (int) on(() -> pool.stemCells()));
        assertEquals(2, (int) on(() -> pool.size()));
    }

    /** The same action as {@link #A} at its next revision, as after an update. */
    private static final ContainerPool.Request A_UPDATED = new ContainerPool.Request(
            ContainerPool.Request.key("alice", "alice/hello", "2"), IMAGE, 256, 1, true);

    @Test
    void aMissingStemCellTakesTheMemoryOfAContainerUnusedForTheReclaimTime() throws Exception {
        reclaiming(512, Duration.ofMillis(300), new PrewarmSpec(IMAGE, 256, 1));
        done(on(() -> pool.start()));
        PooledContainer a = warm(A);
        release(a);
        assertEquals(1, (int) on(() -> pool.stemCells()), "the taken stem cell was replaced in free memory");
        PooledContainer b = warm(B);
        release(b);
        assertEquals(0, (int) on(() -> pool.stemCells()), "the memory is full and A was used a moment ago");
        assertEquals(List.of(), engine.removed);
        await().atMost(5, SECONDS).until(() -> on(() -> pool.stemCells()) == 1);
        assertEquals(List.of(a.id()), engine.removed, "A, unused for the reclaim time, gave its memory");
        assertEquals(2, (int) on(() -> pool.size()), "B and the new stem cell");
        assertSame(b, done(on(() -> pool.acquire(B))), "B, used recently, is still warm");
        assertEquals(512, (int) on(() -> pool.usedMemoryMb()));
    }

    @Test
    void anUpdatedActionsOldContainerGivesItsMemoryToAStemCellAtOnce() throws Exception {
        reclaiming(512, MINUTE, new PrewarmSpec(IMAGE, 256, 1));
        done(on(() -> pool.start()));
        PooledContainer old = done(on(() -> pool.acquire(A)));
        release(old);
        PooledContainer updated = done(on(() -> pool.acquire(A_UPDATED)));
        assertNotSame(old, updated);
        release(updated);
        assertEquals(List.of(old.id()), engine.removed, "the old revision serves no one again");
        assertEquals(1, (int) on(() -> pool.stemCells()), "so the next new action finds a stem cell");
        assertEquals(2, (int) on(() -> pool.size()));
    }

    @Test
    void withoutReclaimingWarmContainersKeepTheMemoryAndNoStemCellIsStarted() throws Exception {
        reclaiming(512, Duration.ZERO, new PrewarmSpec(IMAGE, 256, 1));
        done(on(() -> pool.start()));
        release(done(on(() -> pool.acquire(A))));
        release(done(on(() -> pool.acquire(A_UPDATED))));
        await().during(Duration.ofMillis(1_500)).atMost(3, SECONDS)
                .until(() -> on(() -> pool.stemCells()) == 0 && engine.removed.isEmpty());
        assertEquals(2, engine.started.size());
    }

    @Test
    void aNewContainerEvictsAContainerUnusedForTheReclaimTimeBeforeAStemCell() throws Exception {
        reclaiming(512, Duration.ofMillis(200), new PrewarmSpec(OTHER_IMAGE, 256, 1));
        done(on(() -> pool.start()));
        String stemCell = engine.started.get(0).name();
        PooledContainer a = warm(A);
        release(a);
        long releasedA = System.currentTimeMillis();
        await().atMost(5, SECONDS).until(() -> System.currentTimeMillis() - releasedA > 250);
        warm(B);
        assertEquals(List.of(a.id()), engine.removed, "A, not the stem cell " + stemCell);
        assertEquals(1, (int) on(() -> pool.stemCells()));
    }

    @Test
    void aContainerThatDiedIsRemovedAndTheNextRequestGetsAFreshOne() throws Exception {
        pool(1024);
        PooledContainer dead = warm(A);
        on(() -> {
            pool.destroy(dead);
            return null;
        });
        assertEquals(List.of(dead.id()), engine.removed);
        assertEquals(0, (int) on(() -> pool.size()));
        assertEquals(0, (int) on(() -> pool.usedMemoryMb()));
        PooledContainer fresh = done(on(() -> pool.acquire(A)));
        assertNotSame(dead, fresh);
        assertTrue(fresh.needsInit());
    }

    @Test
    void requestsJoiningAContainerThatDiesBeforeItIsReadyGetAnotherOne() throws Exception {
        pool(1024);
        PooledContainer dying = done(on(() -> pool.acquire(TWO_AT_ONCE)));
        Future<PooledContainer> joiner = on(() -> pool.acquire(TWO_AT_ONCE));
        on(() -> {
            pool.destroy(dying);
            return null;
        });
        PooledContainer other = done(joiner);
        assertNotSame(dying, other);
        assertEquals(2, engine.started.size());
        assertEquals(256, (int) on(() -> pool.usedMemoryMb()));
    }

    @Test
    void aContainerThatFailsToStartFailsItsRequestAndReturnsTheMemory() throws Exception {
        engine.failStarts = true;
        pool(1024);
        assertThrows(ExecutionException.class, () -> done(on(() -> pool.acquire(A))));
        assertEquals(0, (int) on(() -> pool.usedMemoryMb()));
        assertEquals(0, (int) on(() -> pool.size()));
    }

    @Test
    void anIdleContainerIsPausedAfterTheGraceAndUnpausedForItsNextUser() throws Exception {
        pool(1024, Duration.ofMillis(20), MINUTE);
        PooledContainer c = warm(A);
        release(c);
        await().atMost(5, SECONDS).until(() -> on(() -> pool.paused()) == 1);
        assertEquals(List.of(c.id()), engine.paused);
        assertSame(c, done(on(() -> pool.acquire(A))));
        assertEquals(List.of(c.id()), engine.unpaused);
        assertEquals(0, (int) on(() -> pool.paused()));
    }

    @Test
    void aContainerThatCannotBeUnpausedFailsItsRequestAndGoesWithItsMemory() throws Exception {
        engine.failUnpauses = true;
        pool(1024, Duration.ofMillis(20), MINUTE);
        PooledContainer c = warm(A);
        release(c);
        await().atMost(5, SECONDS).until(() -> on(() -> pool.paused()) == 1);
        assertThrows(ExecutionException.class, () -> done(on(() -> pool.acquire(A))));
        await().atMost(5, SECONDS).until(() -> engine.removed.contains(c.id()));
        assertEquals(0, (int) on(() -> pool.size()));
        assertEquals(0, (int) on(() -> pool.usedMemoryMb()), "its memory is not held for good");
        engine.failUnpauses = false;
        PooledContainer next = warm(A);
        assertNotSame(c, next, "the action's next request gets a new container");
    }

    @Test
    void aFailedPauseSuspendsPausingSoActivationsDoNotQueueBehindPauses() throws Exception {
        engine.failPauses = true;
        pool(1024, Duration.ofMillis(20), MINUTE);
        PooledContainer c = warm(A);
        release(c);
        await().atMost(5, SECONDS).until(() -> engine.paused.size() == 1);
        assertSame(c, done(on(() -> pool.acquire(A))));
        assertEquals(List.of(), engine.unpaused, "it was never paused");
        release(c);
        // idle again, well past the grace: no second attempt while pausing is suspended
        await().during(Duration.ofMillis(300)).atMost(2, SECONDS).until(() -> engine.paused.size() == 1);
        assertEquals(0, (int) on(() -> pool.paused()));
    }

    @Test
    void anUnusedContainerIsRemovedAfterTheIdleTimeoutButStemCellsStay() throws Exception {
        pool(1024, MINUTE, Duration.ofMillis(50), new PrewarmSpec(OTHER_IMAGE, 256, 1));
        done(on(() -> pool.start()));
        PooledContainer c = warm(A);
        release(c);
        await().atMost(10, SECONDS).until(() -> engine.removed.contains(c.id()));
        assertEquals(1, (int) on(() -> pool.size()));
        assertEquals(1, (int) on(() -> pool.stemCells()));
    }

    @Test
    void closingFailsWaitingRequestsAndRemovesTheInvokersContainers() throws Exception {
        pool(256);
        warm(A);
        Future<PooledContainer> waiting = on(() -> pool.acquire(B));
        done(on(() -> pool.close()));
        pool = null;
        ExecutionException e = assertThrows(ExecutionException.class, () -> done(waiting));
        assertTrue(e.getCause().getMessage().contains("shutting down"), e.getCause().getMessage());
        assertEquals(List.of("wisp.invoker=invoker0"), engine.removedLabels);
    }

    /** Runs {@code action} on the pool's context and returns what it returned. */
    private <T> T on(Callable<T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                result.complete(action.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(5, SECONDS);
    }

    private static <T> T done(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(5, SECONDS);
    }

    /** An engine that starts containers at once (or when told to), and records what it was asked. */
    private static final class FakeEngine implements ContainerEngine {
        final List<ContainerSpec> started = new CopyOnWriteArrayList<>();
        final List<String> removed = new CopyOnWriteArrayList<>();
        final List<String> removedLabels = new CopyOnWriteArrayList<>();
        final List<String> paused = new CopyOnWriteArrayList<>();
        final List<String> unpaused = new CopyOnWriteArrayList<>();
        final Queue<Runnable> held = new ConcurrentLinkedQueue<>();
        volatile boolean hold;
        volatile boolean failStarts;
        volatile boolean failPauses;
        volatile boolean failUnpauses;

        @Override
        public Future<BridgeNetwork> ensureNetwork(String name) {
            return Future.succeededFuture(new BridgeNetwork(name, "br-test", "172.30.0.1", true));
        }

        @Override
        public Future<StartedContainer> start(ContainerSpec spec) {
            started.add(spec);
            if (failStarts) {
                return Future.failedFuture(new IllegalStateException("the engine refused " + spec.name()));
            }
            StartedContainer c = new StartedContainer("id-" + spec.name(), spec.name(), "172.30.0." + started.size(),
                    8080);
            if (!hold) {
                return Future.succeededFuture(c);
            }
            Promise<StartedContainer> promise = Promise.promise();
            held.add(() -> promise.complete(c));
            return promise.future();
        }

        /** Lets the oldest held start finish. */
        Void finishNextStart() {
            held.remove().run();
            return null;
        }

        @Override
        public Future<Void> pause(String id) {
            paused.add(id);
            if (failPauses) {
                return Future.failedFuture(new IllegalStateException("OCI runtime pause failed: unable to freeze"));
            }
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> unpause(String id) {
            unpaused.add(id);
            if (failUnpauses) {
                return Future.failedFuture(new IllegalStateException("OCI runtime resume failed: unable to thaw"));
            }
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> remove(String id) {
            removed.add(id);
            return Future.succeededFuture();
        }

        @Override
        public Future<Integer> removeLabelled(String label, String value) {
            removedLabels.add(label + "=" + value);
            return Future.succeededFuture(0);
        }
    }
}
