package dev.wisp.common.zookeeper;

import java.util.Objects;

/**
 * What a live controller or invoker announces about itself in ZooKeeper, refreshed by its heartbeat.
 *
 * @param id         controller id or invoker instance name ({@code invoker0})
 * @param host       controllers: where their API listens; invokers: their unique name
 * @param port       controllers: the API port; invokers: the admin port ({@code /ping}, {@code /metrics}), 0 if none
 * @param memoryMb   invokers: user memory for actions; 0 for controllers
 * @param state      {@code healthy}, {@code unhealthy} (a self-check failed) or {@code draining}
 * @param usedMb     invokers: memory held by containers now
 * @param containers invokers: containers in the pool now
 * @param backlog    invokers: activations taken and not finished, queued ones included
 * @param heartbeat  epoch milliseconds of the last refresh; a stale one means the member is unresponsive
 */
public record MemberInfo(String id, String host, int port, int memoryMb, String state, int usedMb, int containers,
                         int backlog, long heartbeat) {
    public static final String HEALTHY = "healthy";
    public static final String UNHEALTHY = "unhealthy";
    public static final String DRAINING = "draining";

    public MemberInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        state = state == null ? HEALTHY : state;
    }

    public MemberInfo(String id, String host, int port, int memoryMb, String state) {
        this(id, host, port, memoryMb, state, 0, 0, 0, System.currentTimeMillis());
    }

    /** Whether this member should get work: it says it is healthy and its heartbeat is fresh. */
    public boolean usable(long now, long staleAfterMillis) {
        return HEALTHY.equals(state) && (heartbeat == 0 || now - heartbeat <= staleAfterMillis);
    }
}
