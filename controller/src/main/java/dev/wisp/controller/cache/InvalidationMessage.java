package dev.wisp.controller.cache;

import java.util.Objects;

/**
 * One controller's announcement that an entity changed.
 *
 * @param key    the entity's document id
 * @param origin the controller that changed it (it has already evicted its own entry)
 */
public record InvalidationMessage(String key, String origin) {
    public InvalidationMessage {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(origin, "origin");
    }
}
