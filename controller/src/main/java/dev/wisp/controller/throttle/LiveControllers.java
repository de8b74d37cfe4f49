package dev.wisp.controller.throttle;

import dev.wisp.controller.zookeeper.Members;

/**
 * How many controllers are announced in ZooKeeper, for splitting namespace limits between them. Reads are
 * lock-free; the count is updated on Curator's event thread and is never below 1 (this controller).
 */
public final class LiveControllers implements AutoCloseable {
    private final Members controllers;
    private volatile int count = 1;

    /** @param controllers the controllers announced in ZooKeeper, followed from now on */
    public LiveControllers(Members controllers) {
        this.controllers = controllers;
        controllers.follow(members -> count = Math.max(1, members.size()));
    }

    public int count() {
        return count;
    }

    @Override
    public void close() {
        controllers.close();
    }
}
