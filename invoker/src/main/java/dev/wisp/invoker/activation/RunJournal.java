package dev.wisp.invoker.activation;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An append-only list of the activation ids this invoker started running, one per line, for durability tests
 * that count duplicate executions. Off unless {@code invoker.journal} names a file. Writes happen on a thread of
 * their own; each line reaches the operating system at once, so it survives the process being killed.
 */
public final class RunJournal implements AutoCloseable {
    private static final RunJournal OFF = new RunJournal(null);
    private final BufferedWriter writer;
    private final ExecutorService thread;

    private RunJournal(BufferedWriter writer) {
        this.writer = writer;
        this.thread = writer == null ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "wisp-run-journal");
            t.setDaemon(true);
            return t;
        });
    }

    public static RunJournal open(String file) {
        if (file == null || file.isBlank()) {
            return OFF;
        }
        try {
            return new RunJournal(Files.newBufferedWriter(Path.of(file), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open run journal " + file, e);
        }
    }

    void ran(String activationId) {
        if (writer == null) {
            return;
        }
        thread.execute(() -> {
            try {
                writer.write(activationId);
                writer.newLine();
                writer.flush();
            } catch (IOException e) {
                // a test aid only; the activation itself is unaffected
            }
        });
    }

    @Override
    public void close() throws IOException {
        if (writer != null) {
            thread.shutdown();
            writer.close();
        }
    }
}
