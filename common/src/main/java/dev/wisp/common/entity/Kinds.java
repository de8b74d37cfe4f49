package dev.wisp.common.entity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The runtime kinds Wisp knows, by family, and the image each runs in. {@code family:default} names the family's
 * default kind (its newest); an action written with it is stored and shown with the concrete kind, as OpenWhisk
 * does ({@link #concrete}). The families and their kinds are what the info document at {@code GET /} lists.
 */
public final class Kinds {
    public static final String BLACKBOX = "blackbox";
    public static final String SEQUENCE = "sequence";
    private static final String DEFAULT_SUFFIX = ":default";

    private static final String NODEJS = "wisp/action-nodejs:latest";
    private static final String PYTHON = "wisp/action-python:latest";
    private static final String JAVA = "wisp/action-java:latest";
    /** Runs any executable (a {@code #!} script or a zip with {@code exec}): a {@code blackbox} action with code. */
    private static final String EXECUTABLE = "wisp/action-blackbox:latest";

    /**
     * One kind of a family.
     *
     * @param isDefault  whether {@code family:default} means this kind
     * @param deprecated whether new actions of this kind are refused (none is, today)
     */
    public record Runtime(String kind, String image, boolean isDefault, boolean deprecated) {
        public Runtime {
            Fields.required("kind, image", kind, image);
        }
    }

    /** Families in the order the info document shows them, each with its kinds, oldest first. */
    private static final Map<String, List<Runtime>> FAMILIES = families();

    private static Map<String, List<Runtime>> families() {
        Map<String, List<Runtime>> f = new LinkedHashMap<>();
        f.put("nodejs", List.of(new Runtime("nodejs:18", NODEJS, false, false),
                new Runtime("nodejs:20", NODEJS, true, false)));
        f.put("python", List.of(new Runtime("python:3", PYTHON, false, false),
                new Runtime("python:3.11", PYTHON, true, false)));
        f.put("java", List.of(new Runtime("java:8", JAVA, false, false),
                new Runtime("java:17", JAVA, true, false)));
        f.values().forEach(kinds -> {
            if (kinds.stream().filter(Runtime::isDefault).count() != 1) {
                throw new IllegalStateException("each runtime family needs exactly one default kind: " + kinds);
            }
        });
        return java.util.Collections.unmodifiableMap(f);
    }

    private Kinds() {
    }

    /** Every family with its kinds, oldest first, in a stable order. */
    public static Map<String, List<Runtime>> byFamily() {
        return FAMILIES;
    }

    public static boolean isKnown(String kind) {
        return runtime(kind).isPresent() || BLACKBOX.equals(kind);
    }

    /**
     * The kind an action of {@code kind} is stored with: the family's default kind for {@code family:default},
     * any other kind unchanged (unknown ones too; they are refused elsewhere).
     */
    public static String concrete(String kind) {
        if (kind == null || !kind.endsWith(DEFAULT_SUFFIX)) {
            return kind;
        }
        List<Runtime> family = FAMILIES.get(kind.substring(0, kind.length() - DEFAULT_SUFFIX.length()));
        if (family == null) {
            return kind;
        }
        return family.stream().filter(Runtime::isDefault).findFirst().map(Runtime::kind).orElse(kind);
    }

    /** The runtime of a kind ({@code family:default} included), if it is one of the families'. */
    public static Optional<Runtime> runtime(String kind) {
        String concrete = concrete(kind);
        for (List<Runtime> family : FAMILIES.values()) {
            for (Runtime r : family) {
                if (r.kind().equals(concrete)) {
                    return Optional.of(r);
                }
            }
        }
        return Optional.empty();
    }

    /** The image of a kind's runtime, if the kind runs in one of Wisp's images. */
    public static Optional<String> image(String kind) {
        return runtime(kind).map(Runtime::image);
    }

    /** Every kind an action may be created with, {@code family:default} ones included. */
    public static Set<String> known() {
        Set<String> all = new TreeSet<>();
        FAMILIES.forEach((family, kinds) -> {
            all.add(family + DEFAULT_SUFFIX);
            kinds.forEach(r -> all.add(r.kind()));
        });
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
        return images().contains(image);
    }

    /** Images the runtime set needs, for prerequisite checks. */
    public static Set<String> images() {
        Set<String> all = new TreeSet<>();
        List<Runtime> every = new ArrayList<>();
        FAMILIES.values().forEach(every::addAll);
        every.forEach(r -> all.add(r.image()));
        all.add(EXECUTABLE);
        return all;
    }
}
