package dev.wisp.runtime;

import java.lang.reflect.Field;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Makes {@code System.getenv()} show each activation its own {@code __OW_*} variables, so concurrent
 * activations of one container do not see each other's. The JDK's environment map cannot be changed through
 * its API: the map inside the unmodifiable view is replaced by reflection (needs
 * {@code --add-opens java.base/java.util=ALL-UNNAMED}). Child processes see only the variables from /init.
 */
final class ActivationEnv extends AbstractMap<String, String> {
    private final Map<String, String> base;

    private ActivationEnv(Map<String, String> base) {
        this.base = base;
    }

    /** Installs the routing map; returns false (and changes nothing) when the JDK does not allow it. */
    @SuppressWarnings("unchecked")
    static boolean install() {
        try {
            Map<String, String> view = System.getenv();
            Field inner = view.getClass().getDeclaredField("m");
            inner.setAccessible(true);
            Map<String, String> base = (Map<String, String>) inner.get(view);
            if (!(base instanceof ActivationEnv)) {
                inner.set(view, new ActivationEnv(base));
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Adds variables for the whole process (the /init {@code env}): the JDK's own map, so child processes
     * inherit them too. Without {@code --add-opens} the action simply does not see them.
     */
    static void addToProcess(Map<String, String> vars) {
        changeProcessMap(base -> base.putAll(vars));
    }

    /**
     * Removes a variable from the JDK's map of the process environment: {@code System.getenv()} no longer shows
     * it, nor do the environments {@code ProcessBuilder.environment()} copies from it. The C environment (what
     * a process started without touching {@code environment()} inherits, and /proc/1/environ) keeps it.
     */
    static void removeFromProcess(String name) {
        changeProcessMap(base -> base.remove(name));
    }

    /** Changes the JDK's map behind {@code System.getenv()}; without {@code --add-opens} nothing changes. */
    @SuppressWarnings("unchecked")
    private static void changeProcessMap(java.util.function.Consumer<Map<String, String>> change) {
        try {
            Map<String, String> view = System.getenv();
            Field inner = view.getClass().getDeclaredField("m");
            inner.setAccessible(true);
            Object map = inner.get(view);
            Map<String, String> base = map instanceof ActivationEnv routed ? routed.base : (Map<String, String>) map;
            synchronized (ActivationEnv.class) {
                change.accept(base);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // the module is not opened: the process map stays as it is
        }
    }

    private static Map<String, String> overlay() {
        Activation a = Activation.current();
        return a == null ? Map.of() : a.env();
    }

    @Override
    public String get(Object key) {
        String own = overlay().get(key);
        return own != null ? own : base.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return overlay().containsKey(key) || base.containsKey(key);
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        // a live view: the JDK caches the set it gets here for good
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, String>> iterator() {
                return merged().entrySet().iterator();
            }

            @Override
            public int size() {
                return merged().size();
            }
        };
    }

    private Map<String, String> merged() {
        Map<String, String> all = new HashMap<>(base);
        all.putAll(overlay());
        return Map.copyOf(all);
    }
}
