package dev.wisp.standalone.supervise;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child process that standalone keeps running: started, awaited until it answers, and started again whenever
 * it dies, on the same command (ports, directories), after a pause that doubles with each quick death
 * ({@link #FIRST_PAUSE} up to the given maximum) and starts over once it stayed up for {@link #STABLE}. Every
 * death and return is one log line naming the output file. Standalone's store and Kafka broker run this way, so
 * that a crash or a full disk in either is a pause, not the end of Wisp.
 */
public final class SupervisedProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SupervisedProcess.class);
    static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    static final Duration STABLE = Duration.ofSeconds(60);
    private static final Duration RESTART_WAIT = Duration.ofSeconds(30);
    /** How long a process asked to stop may take before it is stopped by force, unless its server says otherwise. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path directory;
    private final Path output;
    private final BooleanSupplier answers;
    private final Duration maxPause;
    private final Duration stopGrace;
    private final ScheduledExecutorService supervisor;
    private volatile Process process;
    private volatile boolean closing;
    private long startedAt;
    private Duration pause = FIRST_PAUSE;
    private volatile int restarts;

    /**
     * @param name      what the process is, for log lines ("the store (PouchDB Server)")
     * @param command   the command line, the same for every start
     * @param environment variables it gets on top of this process's own
     * @param directory its working directory
     * @param output    where its standard output and error are appended
     * @param answers   whether it serves now; called repeatedly while it starts, from the supervisor's thread
     * @param maxPause  the longest pause between two starts
     * @param stopGrace how long it may take to stop when asked before it is stopped by force
     */
    public SupervisedProcess(String name, List<String> command, Map<String, String> environment, Path directory,
                             Path output, BooleanSupplier answers, Duration maxPause, Duration stopGrace) {
        this.name = Objects.requireNonNull(name, "name");
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.directory = directory;
        this.output = output;
        this.answers = answers;
        this.maxPause = maxPause;
        this.stopGrace = stopGrace;
        this.supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wisp-supervisor-" + name.replaceAll("[^A-Za-z]+", "-"));
            t.setDaemon(true);
            return t;
        });
    }

    /** The process id now, for operators (and the tests that kill it). */
    public long pid() {
        return process.pid();
    }

    /** Times the process was started again after it died. */
    public int restarts() {
        return restarts;
    }

    /** Starts the process, waits until it answers, and supervises it from then on. */
    public void start(Duration wait) throws IOException, InterruptedException {
        Process p = launch();
        if (!awaitAnswer(p, wait)) {
            close();
            throw p.isAlive() ? new IllegalStateException(name + " did not answer within " + wait.toSeconds()
                    + " s; see " + output)
                    : new IllegalStateException(name + " exited with " + p.exitValue() + "; see " + output);
        }
        supervise(p);
    }

    private Process launch() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process p = builder
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .start();
        process = p;
        startedAt = System.nanoTime();
        return p;
    }

    private boolean awaitAnswer(Process p, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (answers.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50); // polling a child process's port: there is nothing to be told by
        }
        return false;
    }

    private void supervise(Process p) {
        p.onExit().thenRun(() -> {
            if (closing) {
                return;
            }
            if (System.nanoTime() - startedAt > STABLE.toNanos()) {
                synchronized (this) {
                    pause = FIRST_PAUSE;
                }
            }
            Duration after = takePause();
            LOG.warn("{} (pid {}) exited with {}; starting it again in {} ms (see {})", name, p.pid(), p.exitValue(),
                    after.toMillis(), output);
            schedule(after);
        });
    }

    /** The pause before the next start; doubles the one after it, up to the maximum. */
    private synchronized Duration takePause() {
        Duration now = pause;
        pause = pause.multipliedBy(2).compareTo(maxPause) > 0 ? maxPause : pause.multipliedBy(2);
        return now;
    }

    private void schedule(Duration after) {
        try {
            supervisor.schedule(this::restart, after.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // closing
        }
    }

    private void restart() {
        if (closing) {
            return;
        }
        try {
            Process p = launch();
            restarts++;
            if (awaitAnswer(p, RESTART_WAIT)) {
                LOG.info("{} is back as pid {} (restart {})", name, p.pid(), restarts);
            } else if (p.isAlive()) {
                LOG.warn("{} (pid {}) started again but does not answer; stopping it to try again", name, p.pid());
                p.destroyForcibly();
            }
            supervise(p);
        } catch (IOException | RuntimeException e) {
            Duration after = takePause();
            LOG.warn("{} could not be started again: {}; next try in {} ms", name, e.toString(), after.toMillis());
            schedule(after);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops supervising and stops the process: politely, then after its stop grace by force. */
    @Override
    public void close() {
        closing = true;
        supervisor.shutdownNow();
        Process p = process;
        if (p != null && p.isAlive()) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            try {
                if (!p.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
