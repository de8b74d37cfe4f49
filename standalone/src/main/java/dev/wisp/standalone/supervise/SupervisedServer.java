package dev.wisp.standalone.supervise;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A server standalone runs as a {@link SupervisedProcess}: what it is, how to tell that it serves, and the
 * figures operators (and the tests that kill it) read.
 */
public abstract class SupervisedServer implements AutoCloseable {
    private final SupervisedProcess process;

    /** See {@link SupervisedProcess#SupervisedProcess} for the parameters. */
    protected SupervisedServer(String name, List<String> command, Path directory, Path output, Duration maxPause) {
        this(name, command, directory, output, maxPause, SupervisedProcess.STOP_GRACE);
    }

    /** See {@link SupervisedProcess#SupervisedProcess} for the parameters. */
    protected SupervisedServer(String name, List<String> command, Path directory, Path output, Duration maxPause,
                               Duration stopGrace) {
        this(name, command, Map.of(), directory, output, maxPause, stopGrace);
    }

    /** See {@link SupervisedProcess#SupervisedProcess} for the parameters. */
    protected SupervisedServer(String name, List<String> command, Map<String, String> environment, Path directory,
                               Path output, Duration maxPause, Duration stopGrace) {
        this.process = new SupervisedProcess(name, command, environment, directory, output, this::answers, maxPause,
                stopGrace);
    }

    /** Whether the server serves now; called from the supervisor's thread while it starts. */
    protected abstract boolean answers();

    /** Starts the server, waits until it {@link #answers()}, and supervises it from then on. */
    protected final void startProcess(Duration wait) throws IOException, InterruptedException {
        process.start(wait);
    }

    /** The server's process id. */
    public long pid() {
        return process.pid();
    }

    /** Times the server was started again after it died. */
    public int restarts() {
        return process.restarts();
    }

    @Override
    public void close() {
        process.close();
    }
}
