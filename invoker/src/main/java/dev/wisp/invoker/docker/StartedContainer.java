package dev.wisp.invoker.docker;

import java.util.Objects;

/** A running container and the address its runtime answers on. */
public record StartedContainer(String id, String name, String host, int port) {
    public StartedContainer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
    }
}
