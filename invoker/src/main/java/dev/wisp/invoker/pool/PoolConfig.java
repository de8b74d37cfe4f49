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
 * @param reclaimAfter  when the user memory is full, a missing stem cell takes the memory of idle containers unused
 *                      this long, or of an older revision of an action used since (zero: never); such containers
 *                      are also the first evicted for a new container
 * @param apiHost       the API as containers reach it, given to each as {@code __OW_API_HOST}; null for none
 * @param cpus          CPU quota of each container in CPUs, 0 for none
 * @param diskMb        writable layer of a user's own image where the engine bounds it, 0 for no bound
 */
public record PoolConfig(String invokerName, int userMemoryMb, String network, boolean publishPorts,
                         Duration pauseGrace, Duration idleTimeout, List<PrewarmSpec> prewarm, Duration reclaimAfter,
                         String apiHost, double cpus, int diskMb) {
    public PoolConfig {
        Objects.requireNonNull(invokerName, "invokerName");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(pauseGrace, "pauseGrace");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(reclaimAfter, "reclaimAfter");
        prewarm = prewarm == null ? List.of() : List.copyOf(prewarm);
    }

    /**
     * Without reclaiming for stem cells, an API host, CPU quota or disk bound (tests and benchmarks of the pool
     * alone).
     */
    public PoolConfig(String invokerName, int userMemoryMb, String network, boolean publishPorts,
                      Duration pauseGrace, Duration idleTimeout, List<PrewarmSpec> prewarm) {
        this(invokerName, userMemoryMb, network, publishPorts, pauseGrace, idleTimeout, prewarm, Duration.ZERO, null,
                0, 0);
    }

    /**
     * A container's CPU weight: its share of the user memory, as a share of 1024 (OpenWhisk's rule), at least
     * Docker's minimum of 2.
     */
    int cpuShares(int memoryMb) {
        return (int) Math.max(2, 1024L * memoryMb / Math.max(1, userMemoryMb));
    }
}
