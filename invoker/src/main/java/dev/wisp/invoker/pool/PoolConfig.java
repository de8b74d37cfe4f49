package dev.wisp.invoker.pool;

import java.time.Duration;
import java.util.Objects;

/**
 * @param invokerName   labels this invoker's containers, so a successor can find leftovers
 * @param userMemoryMb  memory for action containers in all
 * @param network       Docker network the containers join
 * @param publishPorts  reach containers through 127.0.0.1 ports instead of their network address
 * @param idleTimeout   an unused container is removed after this long
 */
public record PoolConfig(String invokerName, int userMemoryMb, String network, boolean publishPorts,
                         Duration idleTimeout) {
    public PoolConfig {
        Objects.requireNonNull(invokerName, "invokerName");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
    }
}
