package dev.wisp.runtime;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One running activation: its log capture and its {@code __OW_*} variables. The thread that runs the action
 * holds it in an inheritable thread local, so threads the action starts write to the same logs.
 */
record Activation(LogCapture capture, Map<String, String> env) {
    private static final InheritableThreadLocal<Activation> CURRENT = new InheritableThreadLocal<>();
    private static final Set<Activation> RUNNING = ConcurrentHashMap.newKeySet();

    Activation {
        env = Map.copyOf(env);
    }

    /** Runs {@code body} as this activation on the calling thread. */
    <T> T run(java.util.concurrent.Callable<T> body) throws Exception {
        Activation previous = CURRENT.get();
        RUNNING.add(this);
        CURRENT.set(this);
        try {
            return body.call();
        } finally {
            CURRENT.set(previous);
            RUNNING.remove(this);
            capture.close();
        }
    }

    /**
     * The calling thread's activation; for a thread no activation started (a pool thread made earlier, say),
     * the only running activation when exactly one runs; otherwise null.
     */
    static Activation current() {
        Activation a = CURRENT.get();
        if (a != null && !a.capture.isClosed()) {
            return a;
        }
        if (RUNNING.size() == 1) {
            for (Activation only : RUNNING) {
                if (!only.capture.isClosed()) {
                    return only;
                }
            }
        }
        return null;
    }
}
