package dev.wisp.common.message;

import java.util.Objects;

/** An invoker: its number (assigned once per unique name through ZooKeeper) and that unique name. */
public record InvokerId(int instance, String uniqueName) {
    public InvokerId {
        if (instance < 0) {
            throw new IllegalArgumentException("negative invoker instance");
        }
        Objects.requireNonNull(uniqueName, "uniqueName");
    }

    @Override
    public String toString() {
        return "invoker" + instance;
    }
}
