package dev.wisp.invoker.docker;

import java.util.Map;
import java.util.Objects;

/**
 * How to start one action container.
 *
 * @param env          environment variables of the container (e.g. the runtime's token)
 * @param publishPort  reach the container through a port published on 127.0.0.1 (an invoker on the host)
 *                     rather than its address on the Docker network (an invoker inside that network)
 * @param readOnlyRoot a read-only root file system with a small tmpfs {@code /tmp}, for runtimes that allow it
 * @param cpuShares    relative CPU weight under contention (Docker's {@code --cpu-shares}, at least 2)
 * @param cpus         hard CPU quota in CPUs ({@code --cpus}); 0 for none
 * @param diskMb       size of the writable layer where the engine can bound it (0 for no bound); only applies
 *                     without {@code readOnlyRoot}
 */
public record ContainerSpec(String name, String image, int memoryMb, String network, Map<String, String> labels,
                            Map<String, String> env, boolean publishPort, boolean readOnlyRoot, int cpuShares,
                            double cpus, int diskMb) {
    public ContainerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(network, "network");
        labels = Map.copyOf(labels);
        env = Map.copyOf(env);
        if (memoryMb <= 0) {
            throw new IllegalArgumentException("memory must be positive");
        }
        if (cpuShares < 2 || cpus < 0 || diskMb < 0) {
            throw new IllegalArgumentException("cpu shares must be at least 2, cpus and disk not negative");
        }
    }
}
