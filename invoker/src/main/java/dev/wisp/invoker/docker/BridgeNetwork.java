package dev.wisp.invoker.docker;

import java.util.Objects;

/**
 * A Docker network as the host sees it: the action network, or the control plane's.
 *
 * @param bridge    the host-side interface of the bridge (null when the network is not a bridge)
 * @param gateway   the host's address on it (IPv4), the way from a container to the host; null if unknown
 * @param isolated  whether inter-container traffic is off on it (containers cannot reach one another)
 */
public record BridgeNetwork(String name, String bridge, String gateway, boolean isolated) {
    public BridgeNetwork {
        Objects.requireNonNull(name, "name");
    }
}
