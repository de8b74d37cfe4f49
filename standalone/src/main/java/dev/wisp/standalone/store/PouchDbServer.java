package dev.wisp.standalone.store;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * PouchDB Server, a real CouchDB-API server, run as a child process that keeps its databases in a directory.
 * It writes {@code config.json} and {@code log.txt} into its working directory, which is that directory.
 */
public final class PouchDbServer implements AutoCloseable {
    private final Path executable;
    private final Path dir;
    private final int port;
    private Process process;

    public PouchDbServer(Path executable, Path dir, int port) {
        this.executable = executable;
        this.dir = dir;
        this.port = port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the server and waits until {@code GET /} answers. */
    public void start(Duration wait) throws IOException, InterruptedException {
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("PouchDB Server is not installed at " + executable
                    + ". Install it with: scripts/ensure-pouchdb.sh");
        }
        Files.createDirectories(dir);
        process = new ProcessBuilder(List.of(executable.toString(), "--dir", dir.toString(), "-p",
                String.valueOf(port), "-o", "127.0.0.1", "-n"))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("pouchdb-server.out").toFile())
                .start();
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("PouchDB Server exited with " + process.exitValue() + "; see "
                        + dir.resolve("pouchdb-server.out"));
            }
            if (answers()) {
                return;
            }
            Thread.sleep(50);
        }
        close();
        throw new IllegalStateException("PouchDB Server did not answer on port " + port + " within " + wait.toSeconds() + " s");
    }

    private boolean answers() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url() + "/").toURL().openConnection();
            c.setConnectTimeout(200);
            c.setReadTimeout(500);
            try {
                return c.getResponseCode() == 200;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
