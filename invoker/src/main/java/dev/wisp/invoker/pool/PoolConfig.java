package dev.wisp.invoker.pool;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * @param invokerName   labels this invoker's containers, so a successor can find leftovers
 * @param userMemoryMb  memory for action containers in all, stem cells included
 * @param network       Docker network the containers join
 * @param publishPorts  reach containers through 127.0.0.1 ports instead of their network address
 * @param pauseGrace    an idle container is paused after this long (zero: never paused)
 * @param idleTimeout   an unused container is removed after this long
 * @param prewarm       stem cells to keep ready
 */
public record PoolConfig(String invokerName, int userMemoryMb, String network, boolean publishPorts,
                         Duration pauseGrace, Duration idleTimeout, List<PrewarmSpec> prewarm) {
    public PoolConfig {
        Objects.requireNonNull(invokerName, "invokerName");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(pauseGrace, "pauseGrace");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        prewarm = prewarm == null ? List.of() : List.copyOf(prewarm);
    }
}
