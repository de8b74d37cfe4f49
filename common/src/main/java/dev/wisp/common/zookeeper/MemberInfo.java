package dev.wisp.common.zookeeper;

import java.util.Objects;

/**
 * What a live controller or invoker announces about itself in ZooKeeper.
 *
 * @param id        controller id or invoker instance name ({@code invoker0})
 * @param host      where its HTTP endpoint listens (controllers; for invokers the admin port)
 * @param port      that endpoint's port, 0 if none
 * @param memoryMb  user memory for actions (invokers; 0 for controllers)
 * @param state     health as the member itself sees it, e.g. {@code healthy}, {@code draining}
 */
public record MemberInfo(String id, String host, int port, int memoryMb, String state) {
    public MemberInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        state = state == null ? "healthy" : state;
    }
}
