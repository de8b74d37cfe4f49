package dev.wisp.common.entity;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The runtime kinds Wisp knows and the image each runs in. {@code family:default} names the family's current
 * version; the record of an action keeps the kind as the user wrote it.
 */
public final class Kinds {
    public static final String BLACKBOX = "blackbox";
    public static final String SEQUENCE = "sequence";

    private static final Map<String, String> IMAGES = Map.of(
            "nodejs:default", "wisp/action-nodejs:latest",
            "nodejs:18", "wisp/action-nodejs:latest",
            "nodejs:20", "wisp/action-nodejs:latest");

    private Kinds() {
    }

    public static boolean isKnown(String kind) {
        return IMAGES.containsKey(kind) || BLACKBOX.equals(kind);
    }

    /** The image of a kind's runtime, if the kind runs in one of Wisp's images. */
    public static Optional<String> image(String kind) {
        return Optional.ofNullable(IMAGES.get(kind));
    }

    public static Set<String> known() {
        Set<String> all = new TreeSet<>(IMAGES.keySet());
        all.add(BLACKBOX);
        return all;
    }

    /**
     * The image an action runs in: a {@code blackbox} action's own image when it names one, else its kind's.
     */
    public static Optional<String> imageFor(Exec exec) {
        if (BLACKBOX.equals(exec.kind()) && exec.image() != null && !exec.image().isBlank()) {
            return Optional.of(exec.image());
        }
        return image(exec.kind());
    }

    /** Whether the image is one of Wisp's runtimes (which accept a read-only root and return their logs). */
    public static boolean isWispImage(String image) {
        return IMAGES.containsValue(image);
    }

    /** Images the runtime set needs, for prerequisite checks. */
    public static Set<String> images() {
        return new TreeSet<>(IMAGES.values());
    }
}
