package dev.wisp.invoker.pool;

import dev.wisp.invoker.docker.StartedContainer;

/**
 * A container of the pool. Mutable, confined to the pool's Vert.x context.
 */
public final class PooledContainer {
    private final StartedContainer started;
    private final String key;
    private final int memoryMb;
    private final int maxConcurrency;
    int active;
    boolean initialized;
    long lastUsed = System.currentTimeMillis();

    PooledContainer(StartedContainer started, String key, int memoryMb, int maxConcurrency) {
        this.started = started;
        this.key = key;
        this.memoryMb = memoryMb;
        this.maxConcurrency = maxConcurrency;
    }

    public String host() {
        return started.host();
    }

    public int port() {
        return started.port();
    }

    public String id() {
        return started.id();
    }

    public String name() {
        return started.name();
    }

    public String key() {
        return key;
    }

    int memoryMb() {
        return memoryMb;
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
    }
}
