package dev.wisp.invoker.docker;

import java.util.Map;
import java.util.Objects;

/**
 * How to start one action container.
 *
 * @param publishPort  reach the container through a port published on 127.0.0.1 (an invoker on the host)
 *                     rather than its address on the Docker network (an invoker inside that network)
 * @param readOnlyRoot a read-only root file system with a small tmpfs {@code /tmp}, for runtimes that allow it
 */
public record ContainerSpec(String name, String image, int memoryMb, String network, Map<String, String> labels,
                            boolean publishPort, boolean readOnlyRoot) {
    public ContainerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(network, "network");
        labels = Map.copyOf(labels);
        if (memoryMb <= 0) {
            throw new IllegalArgumentException("memory must be positive");
        }
    }
}
