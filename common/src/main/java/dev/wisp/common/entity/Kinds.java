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

    private static final String NODEJS = "wisp/action-nodejs:latest";
    private static final String PYTHON = "wisp/action-python:latest";
    private static final String JAVA = "wisp/action-java:latest";
    /** Runs any executable (a {@code #!} script or a zip with {@code exec}): a {@code blackbox} action with code. */
    private static final String EXECUTABLE = "wisp/action-blackbox:latest";

    private static final Map<String, String> IMAGES = Map.of(
            "nodejs:default", NODEJS,
            "nodejs:18", NODEJS,
            "nodejs:20", NODEJS,
            "python:default", PYTHON,
            "python:3", PYTHON,
            "python:3.11", PYTHON,
            "java:default", JAVA,
            "java:17", JAVA,
            "java:8", JAVA);

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
        if (BLACKBOX.equals(exec.kind())) {
            return Optional.of(exec.image() != null && !exec.image().isBlank() ? exec.image() : EXECUTABLE);
        }
        return image(exec.kind());
    }

    /** Whether the image is one of Wisp's runtimes (which accept a read-only root and return their logs). */
    public static boolean isWispImage(String image) {
        return IMAGES.containsValue(image) || EXECUTABLE.equals(image);
    }

    /** Images the runtime set needs, for prerequisite checks. */
    public static Set<String> images() {
        Set<String> all = new TreeSet<>(IMAGES.values());
        all.add(EXECUTABLE);
        return all;
    }
}
