package dev.wisp.invoker.pool;

import dev.wisp.invoker.docker.StartedContainer;
import dev.wisp.invoker.runtime.RuntimeClient;
import io.vertx.core.Future;

/**
 * A container of the pool: a stem cell (no key yet) or one action revision's container. Mutable, confined to
 * the pool's Vert.x context.
 */
public final class PooledContainer {
    private final StartedContainer started;
    private final String image;
    private final int memoryMb;
    private final boolean wispRuntime;
    private final String token;
    private String key;
    private int maxConcurrency = 1;
    int active;
    boolean initialized;
    boolean paused;
    long lastUsed = System.currentTimeMillis();
    /** When it was last taken, in the pool's count of takes: orders two takes within one millisecond. */
    long lastTaken;
    long pauseTimer = -1;
    /** A stem cell just taken, whose replacement waits for the first run in it to end. */
    boolean replaceOnRelease;
    /** The pause or unpause under way, which the next user must wait for. */
    Future<Void> transition = Future.succeededFuture();
    /** Completed by {@link #markInitialized()}; failed if the container is removed before that. */
    final io.vertx.core.Promise<Void> ready = io.vertx.core.Promise.promise();

    PooledContainer(StartedContainer started, String image, int memoryMb, boolean wispRuntime, String token) {
        this.started = started;
        this.image = image;
        this.memoryMb = memoryMb;
        this.wispRuntime = wispRuntime;
        this.token = token;
    }

    void assign(String key, int maxConcurrency) {
        this.key = key;
        this.maxConcurrency = Math.max(1, maxConcurrency);
    }

    /**
     * Where and how to speak to its runtime: Wisp's runtimes take the container's token and serve several
     * connections at once; users' own images speak the plain protocol, one connection per request.
     */
    public RuntimeClient.Endpoint endpoint() {
        return new RuntimeClient.Endpoint(started.host(), started.port(), token, wispRuntime);
    }

    public String id() {
        return started.id();
    }

    public String name() {
        return started.name();
    }

    /** Whether the container runs one of Wisp's runtimes (which serve concurrent connections, and return logs). */
    public boolean wispRuntime() {
        return wispRuntime;
    }

    /** The action revision this container serves; null for a stem cell. */
    public String key() {
        return key;
    }

    String image() {
        return image;
    }

    int memoryMb() {
        return memoryMb;
    }

    boolean isStemCell() {
        return key == null;
    }

    int maxConcurrency() {
        return maxConcurrency;
    }

    boolean hasRoom() {
        return active < maxConcurrency;
    }

    /** Whether this container still needs {@code /init} (only its first user does it). */
    public boolean needsInit() {
        return !initialized;
    }

    public void markInitialized() {
        initialized = true;
        ready.tryComplete();
    }
}
