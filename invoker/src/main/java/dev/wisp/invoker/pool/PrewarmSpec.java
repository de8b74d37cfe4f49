package dev.wisp.invoker.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Stem cells to keep ready: {@code count} started but uninitialized containers of {@code image} with
 * {@code memoryMb}, taken by the first action of that image and memory that has no warm container, then refilled.
 */
public record PrewarmSpec(String image, int memoryMb, int count) {
    public PrewarmSpec {
        Objects.requireNonNull(image, "image");
        if (memoryMb <= 0 || count < 0) {
            throw new IllegalArgumentException("bad prewarm spec " + image + ":" + memoryMb + ":" + count);
        }
    }

    /**
     * Parses {@code image=count[@memoryMb],image=count...}; e.g. {@code wisp/action-nodejs:latest=2@256}.
     *
     * @throws IllegalArgumentException naming the entry that does not parse
     */
    public static List<PrewarmSpec> parse(String text, int defaultMemoryMb) {
        List<PrewarmSpec> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String entry : text.split(",")) {
            String e = entry.trim();
            int eq = e.lastIndexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("prewarm entry '" + e + "' is not image=count[@memoryMb]");
            }
            String image = e.substring(0, eq);
            String rest = e.substring(eq + 1);
            int at = rest.indexOf('@');
            try {
                int count = Integer.parseInt(at < 0 ? rest : rest.substring(0, at));
                int memory = at < 0 ? defaultMemoryMb : Integer.parseInt(rest.substring(at + 1));
                out.add(new PrewarmSpec(image, memory, count));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("prewarm entry '" + e + "' is not image=count[@memoryMb]");
            }
        }
        return out;
    }
}
