package dev.wisp.invoker.docker;

import io.vertx.core.Future;

/**
 * What the container pool needs of a container engine: {@link DockerEngine} in Wisp, a fake in the pool's unit
 * tests. Each call returns at once; the Future completes on the caller's context.
 */
public interface ContainerEngine {
    /** Creates the action network unless it exists, and describes it. */
    Future<BridgeNetwork> ensureNetwork(String name);

    /** Creates and starts a container. */
    Future<StartedContainer> start(ContainerSpec spec);

    /** Freezes an idle container's processes. */
    Future<Void> pause(String id);

    /** Thaws a paused container. */
    Future<Void> unpause(String id);

    /** Force-removes a container; a missing one counts as removed. */
    Future<Void> remove(String id);

    /** Removes every container carrying {@code label=value}; returns how many. */
    Future<Integer> removeLabelled(String label, String value);
}
