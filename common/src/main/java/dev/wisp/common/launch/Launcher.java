package dev.wisp.common.launch;

import dev.wisp.common.config.ConfigException;
import dev.wisp.common.config.Settings;
import io.vertx.core.Future;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every process's {@code main} does around its component: read the configuration (exit code 2 on a bad
 * one), start, exit with code 1 if starting fails, and stop on the JVM's shut-down (Ctrl-C, SIGTERM).
 */
public final class Launcher {
    private Launcher() {
    }

    /**
     * The process's configuration from its flags and environment ({@link Settings#configure}); on a bad one,
     * prints every problem and exits with code 2.
     */
    public static <C> C configure(String[] args, Function<Settings, C> from) {
        try {
            return Settings.configure(args, System.getenv(), from);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            throw e;
        }
    }

    /**
     * Watches a component's start: if {@code started} fails, prints why and exits with code 1; on the JVM's
     * shut-down, waits for {@code stop}'s future.
     *
     * @param name the component as the failure message names it ({@code controller})
     */
    public static void run(String name, Future<?> started, Supplier<Future<?>> stop) {
        started.onFailure(e -> {
            System.err.println(name + " failed to start: " + (e.getMessage() == null ? e : e.getMessage()));
            exit(1);
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stop.get().await();
            } catch (Exception e) {
                // exiting anyway
            }
        }));
    }

    /**
     * Exits the JVM from a thread of its own: callable from an event loop, which the shut-down hook waiting for
     * Vert.x to close still needs.
     */
    public static void exit(int code) {
        new Thread(() -> System.exit(code), "exit").start();
    }

    /** Blocking work of a process: its start. */
    @FunctionalInterface
    public interface Start {
        void run() throws Exception;
    }

    /**
     * Runs {@code start}, then serves until the JVM shuts down, when {@code stop} runs (on the shut-down hook's
     * thread) before the process ends. For processes whose server runs on threads of its own.
     */
    public static void serveUntilStopped(Start start, Runnable stop) throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            stopped.countDown();
        }));
        start.run();
        stopped.await();
    }
}
