package dev.wisp.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.invoker.docker.DockerEngine;
import dev.wisp.invoker.pool.ContainerPool;
import dev.wisp.invoker.pool.PoolConfig;
import dev.wisp.invoker.pool.PooledContainer;
import dev.wisp.invoker.pool.PrewarmSpec;
import dev.wisp.it.cluster.OnContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The invoker's container pool against the real Docker engine. */
class ContainerPoolIT {
    private static final String IMAGE = "wisp/action-nodejs:latest";
    private static Vertx vertx;
    private static OnContext onContext;
    private static final List<ContainerPool> opened = new ArrayList<>();
    private static DockerEngine docker;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        onContext = new OnContext(vertx.getOrCreateContext(), Duration.ofSeconds(60));
        docker = new DockerEngine(vertx, "unix:///var/run/docker.sock");
    }

    /** Closes the pools a test opened (and left open, as a killed invoker does), removing their containers. */
    @AfterEach
    void closePools() throws Exception {
        for (ContainerPool pool : opened) {
            on(pool::close);
        }
        opened.clear();
    }

    @AfterAll
    static void stop() throws IOException {
        docker.close();
        vertx.close().await();
    }

    /** Runs pool code on the pool's context, as the invoker does, and waits for its Future. */
    private static <T> T on(Callable<Future<T>> action) throws Exception {
        return onContext.call(action);
    }

    /** A count the pool reports, read on its context. */
    private static int read(Supplier<Integer> count) throws Exception {
        return on(() -> Future.succeededFuture(count.get()));
    }

    /** Ends an activation in the container, as the invoker does after its /init and /run. */
    private static void finish(ContainerPool pool, PooledContainer c) throws Exception {
        on(() -> {
            c.markInitialized();
            pool.release(c);
            return Future.succeededFuture();
        });
    }

    private static ContainerPool pool(String name, int memory, Duration pause, Duration idle, List<PrewarmSpec> prewarm)
            throws Exception {
        ContainerPool pool = new ContainerPool(vertx, docker,
                new PoolConfig(name, memory, "wisp-actions", true, pause, idle, prewarm));
        opened.add(pool);
        on(pool::start);
        return pool;
    }

    private static int labelled(String name) {
        return labelledIds(name).size();
    }

    private static List<String> labelledIds(String name) {
        try {
            Process p = new ProcessBuilder("docker", "ps", "-aq", "--filter", "label=" + ContainerPool.LABEL_INVOKER + "=" + name)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out.lines().filter(l -> !l.isBlank()).map(String::trim).toList();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static String name() {
        return "pool-it-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static ContainerPool.Request request(String key, int memory) {
        return new ContainerPool.Request(key, IMAGE, memory, 1, true);
    }

    @Test
    void reusesTheWarmContainerOfTheSameRevisionOnly() throws Exception {
        String name = name();
        ContainerPool pool = pool(name, 1024, Duration.ZERO, Duration.ofMinutes(5), List.of());
        PooledContainer first = on(() -> pool.acquire(request("ns/a@1", 256)));
        assertTrue(first.needsInit());
        finish(pool, first);
        PooledContainer again = on(() -> pool.acquire(request("ns/a@1", 256)));
        assertEquals(first.id(), again.id(), "the same action revision must reuse its warm container");
        assertFalse(again.needsInit());
        PooledContainer other = on(() -> pool.acquire(request("ns/a@2", 256)));
        assertNotEquals(first.id(), other.id(), "a new revision must not get the old code's container");
        assertEquals(2, labelled(name));
        on(pool::close);
        assertEquals(0, labelled(name), "close removes every container of the invoker");
    }

    @Test
    void anUpdatedActionsOldContainerMakesRoomForTheStemCellItsNewRevisionTook() throws Exception {
        String name = name();
        ContainerPool pool = new ContainerPool(vertx, docker, new PoolConfig(name, 512, "wisp-actions", true,
                Duration.ZERO, Duration.ofMinutes(5), List.of(new PrewarmSpec(IMAGE, 256, 1)), Duration.ofMinutes(5),
                null, 0, 0));
        opened.add(pool);
        on(pool::start);
        await().alias("stem cell started").atMost(Duration.ofSeconds(30)).until(() -> read(pool::stemCells) == 1);
        PooledContainer old = on(() -> pool.acquire(request("ns/edited@1", 256)));
        finish(pool, old);
        await().alias("stem cell refilled").atMost(Duration.ofSeconds(30)).until(() -> read(pool::stemCells) == 1);
        PooledContainer updated = on(() -> pool.acquire(request("ns/edited@2", 256)));
        assertNotEquals(old.id(), updated.id());
        finish(pool, updated);
        await().alias("stem cell refilled in the old revision's memory").atMost(Duration.ofSeconds(30))
                .until(() -> read(pool::stemCells) == 1);
        List<String> left = labelledIds(name);
        assertEquals(2, left.size(), "the new revision's container and a stem cell: " + left);
        assertTrue(left.stream().noneMatch(id -> old.id().startsWith(id)), "the old revision's container is gone");
        assertEquals(512, read(pool::usedMemoryMb));
    }

    @Test
    void aStemCellIsTakenAndRefilled() throws Exception {
        String name = name();
        ContainerPool pool = pool(name, 1024, Duration.ZERO, Duration.ofMinutes(5), List.of(new PrewarmSpec(IMAGE, 256, 1)));
        await().alias("stem cell started").atMost(Duration.ofSeconds(30)).until(() -> read(pool::stemCells) == 1);
        assertEquals(1, labelled(name));
        PooledContainer taken = on(() -> pool.acquire(request("ns/b@1", 256)));
        assertTrue(taken.needsInit());
        await().alias("stem cell refilled").atMost(Duration.ofSeconds(30)).until(() -> read(pool::stemCells) == 1);
        assertEquals(2, labelled(name), "the taken stem cell plus its replacement, no other container started");
    }

    @Test
    void everyPrewarmSpecGetsItsStemCells() throws Exception {
        // the default keeps Node.js and Python stem cells: the cells still starting of the first spec once
        // counted for the second, which then never got one (a new Python action's first invoke took a cold start)
        String name = name();
        ContainerPool pool = pool(name, 1024, Duration.ZERO, Duration.ofMinutes(5), List.of(new PrewarmSpec(IMAGE, 256, 2),
                new PrewarmSpec("wisp/action-python:latest", 256, 1)));
        await().alias("three stem cells started").atMost(Duration.ofSeconds(30)).until(() -> read(pool::stemCells) == 3);
        List<String> cells = labelledIds(name);
        PooledContainer python = on(() -> pool.acquire(new ContainerPool.Request("ns/py@1", "wisp/action-python:latest",
                256, 1, true)));
        assertTrue(python.needsInit());
        assertTrue(cells.stream().anyMatch(python.id()::startsWith),
                "the Python action took the Python stem cell " + cells + ", not a new container " + python.id());
    }

    @Test
    void idleContainersArePausedThenRemoved() throws Exception {
        String name = name();
        ContainerPool pool = pool(name, 1024, Duration.ofMillis(200), Duration.ofSeconds(3), List.of());
        PooledContainer c = on(() -> pool.acquire(request("ns/c@1", 256)));
        finish(pool, c);
        await().alias("paused after the grace").atMost(Duration.ofSeconds(10))
                .until(() -> read(pool::paused) == 1);
        PooledContainer again = on(() -> pool.acquire(request("ns/c@1", 256)));
        assertEquals(c.id(), again.id());
        assertEquals(0, read(pool::paused), "taken again means unpaused");
        finish(pool, again);
        await().alias("removed after the idle timeout").atMost(Duration.ofSeconds(15))
                .until(() -> labelled(name) == 0);
        assertEquals(0, read(pool::size));
    }

    @Test
    void aContainerThePoolThinksPausedButRunsIsTakenAgain() throws Exception {
        // a pause that failed under load ("unable to freeze") leaves the container running while the pool may
        // already have chained the thaw of the next request after it: Docker answers "is not paused"
        String name = name();
        ContainerPool pool = pool(name, 1024, Duration.ofMillis(200), Duration.ofMinutes(1), List.of());
        PooledContainer c = on(() -> pool.acquire(request("ns/t@1", 256)));
        finish(pool, c);
        await().alias("paused after the grace").atMost(Duration.ofSeconds(10))
                .until(() -> read(pool::paused) == 1);
        Process thaw = new ProcessBuilder("docker", "unpause", c.id()).redirectErrorStream(true).start();
        assertEquals(0, thaw.waitFor(), new String(thaw.getInputStream().readAllBytes()));
        PooledContainer again = on(() -> pool.acquire(request("ns/t@1", 256)));
        assertEquals(c.id(), again.id(), "the same warm container, running");
        finish(pool, again);
    }

    @Test
    void requestsQueueAtCapacityAndRunWhenMemoryFrees() throws Exception {
        String name = name();
        ContainerPool pool = pool(name, 256, Duration.ZERO, Duration.ofMinutes(5), List.of());
        PooledContainer busy = on(() -> pool.acquire(request("ns/d@1", 256)));
        Future<PooledContainer> waiting = on(() -> Future.succeededFuture(pool.acquire(request("ns/e@1", 256))));
        await().alias("second request queued").atMost(Duration.ofSeconds(5))
                .until(() -> read(pool::queued) == 1);
        assertFalse(waiting.isComplete(), "no memory is free while the first container is busy");
        finish(pool, busy);
        PooledContainer second = waiting.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertEquals("ns/e@1", second.key());
        await().alias("idle container evicted for the queued one").atMost(Duration.ofSeconds(10))
                .until(() -> labelled(name) == 1);
    }

    @Test
    void aRestartedInvokerRemovesItsPredecessorsLeftovers() throws Exception {
        String name = name();
        ContainerPool crashed = pool(name, 1024, Duration.ZERO, Duration.ofMinutes(5), List.of());
        on(() -> crashed.acquire(request("ns/f@1", 256)));
        on(() -> crashed.acquire(request("ns/g@1", 256)));
        assertEquals(2, labelled(name));
        // The first pool is abandoned, as by a killed invoker; its successor has the same name.
        ContainerPool successor = pool(name, 1024, Duration.ZERO, Duration.ofMinutes(5), List.of());
        assertEquals(0, labelled(name), "leftovers removed before the new invoker takes work");
    }
}
