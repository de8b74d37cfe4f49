package dev.wisp.invoker.pool;

import dev.wisp.invoker.docker.ContainerSpec;
import dev.wisp.invoker.docker.DockerEngine;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invoker's action containers. Warm containers are reused by key (namespace, action and revision), up to
 * each action's concurrency; new ones start while their memory fits the invoker's user memory, idle ones of
 * other actions are evicted to make room, and beyond that requests queue in arrival order. Every method must
 * be called on the invoker's Vert.x context, which confines all state here.
 */
public final class ContainerPool {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerPool.class);
    public static final String LABEL_INVOKER = "wisp.invoker";
    public static final String LABEL_ACTION = "wisp.action";

    private final Vertx vertx;
    private final DockerEngine docker;
    private final PoolConfig config;
    private final List<PooledContainer> containers = new ArrayList<>();
    private final Deque<Waiter> queue = new ArrayDeque<>();
    private final AtomicLong sequence = new AtomicLong();
    private int usedMemoryMb;
    private long reaper = -1;

    /** What an activation needs from the pool. */
    public record Request(String key, String image, int memoryMb, int concurrency) {
    }

    private record Waiter(Request request, Promise<PooledContainer> promise) {
    }

    public ContainerPool(Vertx vertx, DockerEngine docker, PoolConfig config) {
        this.vertx = vertx;
        this.docker = docker;
        this.config = config;
    }

    /** Removes leftovers of an earlier run of this invoker, then starts the idle reaper. */
    public Future<Void> start() {
        return docker.ensureNetwork(config.network())
                .compose(v -> docker.removeLabelled(LABEL_INVOKER, config.invokerName()))
                .map(n -> {
                    if (n > 0) {
                        LOG.info("removed {} leftover containers of {}", n, config.invokerName());
                    }
                    reaper = vertx.setPeriodic(1_000, t -> reapIdle());
                    return null;
                });
    }

    /**
     * A container for the request: a warm one with room, or a new one (not yet initialized). Fails when the
     * container cannot be started; the request never fits when it asks for more than the user memory.
     */
    public Future<PooledContainer> acquire(Request request) {
        if (request.memoryMb() > config.userMemoryMb()) {
            return Future.failedFuture(new IllegalStateException("The action needs " + request.memoryMb()
                    + " MB but the invoker has only " + config.userMemoryMb() + " MB of user memory."));
        }
        Future<PooledContainer> now = tryAcquire(request);
        if (now != null) {
            return now;
        }
        Promise<PooledContainer> promise = Promise.promise();
        queue.add(new Waiter(request, promise));
        return promise.future();
    }

    private Future<PooledContainer> tryAcquire(Request request) {
        for (PooledContainer c : containers) {
            if (c.key().equals(request.key()) && c.initialized && c.hasRoom()) {
                c.active++;
                return Future.succeededFuture(c);
            }
        }
        while (usedMemoryMb + request.memoryMb() > config.userMemoryMb()) {
            PooledContainer idle = oldestIdle();
            if (idle == null) {
                return null;
            }
            evict(idle);
        }
        return create(request);
    }

    private Future<PooledContainer> create(Request request) {
        usedMemoryMb += request.memoryMb();
        String name = "wisp_" + config.invokerName().replaceAll("[^a-zA-Z0-9_.-]", "_") + "_" + sequence.incrementAndGet();
        ContainerSpec spec = new ContainerSpec(name, request.image(), request.memoryMb(), config.network(),
                Map.of(LABEL_INVOKER, config.invokerName(), LABEL_ACTION, label(request.key())),
                config.publishPorts());
        return docker.start(spec)
                .map(started -> {
                    PooledContainer c = new PooledContainer(started, request.key(), request.memoryMb(),
                            request.concurrency());
                    c.active = 1;
                    containers.add(c);
                    return c;
                })
                .onFailure(e -> {
                    usedMemoryMb -= request.memoryMb();
                    serveQueue();
                });
    }

    private static String label(String key) {
        return key.length() > 200 ? key.substring(0, 200) : key;
    }

    /** Gives a container back after an activation; it stays warm for the next one. */
    public void release(PooledContainer c) {
        c.active = Math.max(0, c.active - 1);
        c.lastUsed = System.currentTimeMillis();
        serveQueue();
    }

    /** Removes a container that must not be reused (timed out, crashed, failed init). */
    public void destroy(PooledContainer c) {
        if (containers.remove(c)) {
            usedMemoryMb -= c.memoryMb();
            docker.remove(c.id()).onFailure(e -> LOG.warn("could not remove {}: {}", c.name(), e.toString()));
        }
        serveQueue();
    }

    private void evict(PooledContainer c) {
        LOG.debug("evicting idle container {} of {}", c.name(), c.key());
        containers.remove(c);
        usedMemoryMb -= c.memoryMb();
        docker.remove(c.id()).onFailure(e -> LOG.warn("could not remove {}: {}", c.name(), e.toString()));
    }

    private PooledContainer oldestIdle() {
        PooledContainer oldest = null;
        for (PooledContainer c : containers) {
            if (c.active == 0 && (oldest == null || c.lastUsed < oldest.lastUsed)) {
                oldest = c;
            }
        }
        return oldest;
    }

    private void serveQueue() {
        for (Iterator<Waiter> it = queue.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            Future<PooledContainer> f = tryAcquire(w.request());
            if (f == null) {
                return; // keep arrival order: later requests wait behind this one
            }
            it.remove();
            f.onComplete(w.promise());
        }
    }

    private void reapIdle() {
        long cutoff = System.currentTimeMillis() - config.idleTimeout().toMillis();
        for (PooledContainer c : List.copyOf(containers)) {
            if (c.active == 0 && c.lastUsed < cutoff) {
                evict(c);
            }
        }
    }

    /** Containers in the pool, for monitoring. */
    public int size() {
        return containers.size();
    }

    public int queued() {
        return queue.size();
    }

    public int usedMemoryMb() {
        return usedMemoryMb;
    }

    /** Removes every container of this invoker. */
    public Future<Void> close() {
        if (reaper >= 0) {
            vertx.cancelTimer(reaper);
        }
        containers.clear();
        usedMemoryMb = 0;
        queue.forEach(w -> w.promise().tryFail("invoker shutting down"));
        queue.clear();
        return docker.removeLabelled(LABEL_INVOKER, config.invokerName()).mapEmpty();
    }
}
