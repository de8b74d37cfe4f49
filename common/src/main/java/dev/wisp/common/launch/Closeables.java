package dev.wisp.common.launch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiConsumer;

/** Closing what a component opened, last opened first. */
public final class Closeables {
    private Closeables() {
    }

    /**
     * Closes each of {@code resources}, the last first, going on past any that fails to close after handing it
     * and its failure to {@code onFailure}. Blocks for as long as the closes do.
     */
    public static void closeInReverse(List<? extends AutoCloseable> resources,
                                      BiConsumer<AutoCloseable, Exception> onFailure) {
        List<AutoCloseable> reversed = new ArrayList<>(resources);
        Collections.reverse(reversed);
        for (AutoCloseable r : reversed) {
            try {
                r.close();
            } catch (Exception e) {
                onFailure.accept(r, e);
            }
        }
    }
}
