package dev.wisp.standalone.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PouchDB Server, a real CouchDB-API server, run as a child process that keeps its databases in a directory.
 * It writes {@code config.json} and {@code log.txt} into its working directory, which is that directory.
 * Supervised: when it dies it is started again on the same port and directory, after a pause that doubles with
 * each quick death ({@link #FIRST_PAUSE} up to {@link #MAX_PAUSE}) and starts over once it has stayed up for
 * {@link #STABLE}. Meanwhile the controllers answer 503 with {@code Retry-After} and the invokers hold their
 * records until it is back: nothing accepted is lost.
 */
public final class PouchDbServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PouchDbServer.class);
    static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    static final Duration MAX_PAUSE = Duration.ofSeconds(30);
    static final Duration STABLE = Duration.ofSeconds(60);
    /** CouchDB 3's default {@code max_document_size}. */
    public static final int MAX_DOCUMENT_BYTES = 8_000_000;

    private final Path executable;
    private final Path dir;
    private final int port;
    private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "wisp-store-supervisor");
        t.setDaemon(true);
        return t;
    });
    private volatile Process process;
    private volatile boolean closing;
    private long startedAt;
    private Duration pause = FIRST_PAUSE;
    private int restarts;

    public PouchDbServer(Path executable, Path dir, int port) {
        this.executable = executable;
        this.dir = dir;
        this.port = port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The server's process id, for operators (and the test that kills it). */
    public long pid() {
        return process.pid();
    }

    /** Times the server was started again after it died. */
    public int restarts() {
        return restarts;
    }

    /** Starts the server, waits until {@code GET /} answers, and supervises it from then on. */
    public void start(Duration wait) throws IOException, InterruptedException {
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("PouchDB Server is not installed at " + executable
                    + ". Install it with: scripts/ensure-pouchdb.sh");
        }
        Files.createDirectories(dir);
        limitDocuments();
        Process p = launch();
        if (!awaitAnswer(p, wait)) {
            close();
            throw p.isAlive() ? new IllegalStateException("PouchDB Server did not answer on port " + port
                    + " within " + wait.toSeconds() + " s")
                    : new IllegalStateException("PouchDB Server exited with " + p.exitValue() + "; see "
                    + dir.resolve("pouchdb-server.out"));
        }
        supervise(p);
    }

    /**
     * Sets the largest document to CouchDB 3's default, {@link #MAX_DOCUMENT_BYTES} (PouchDB Server's own is
     * 4 GB), so that standalone refuses what a production CouchDB refuses, e.g. a record with 10 MB of logs.
     */
    private void limitDocuments() throws IOException {
        Path config = dir.resolve("config.json");
        ObjectNode root = Files.exists(config) ? (ObjectNode) Json.decode(Files.readAllBytes(config), JsonNode.class)
                : Json.object();
        ObjectNode couchdb = root.has("couchdb") ? (ObjectNode) root.get("couchdb") : root.putObject("couchdb");
        if (!couchdb.has("max_document_size")) {
            couchdb.put("max_document_size", MAX_DOCUMENT_BYTES);
            Files.write(config, Json.encode(root));
        }
    }

    private Process launch() throws IOException {
        Process p = new ProcessBuilder(List.of(executable.toString(), "--dir", dir.toString(), "-p",
                String.valueOf(port), "-o", "127.0.0.1", "-n"))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("pouchdb-server.out").toFile()))
                .start();
        process = p;
        startedAt = System.nanoTime();
        return p;
    }

    private boolean awaitAnswer(Process p, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (answers()) {
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
            LOG.warn("the store (PouchDB Server, pid {}) exited with {}; starting it again in {} ms (see {})",
                    p.pid(), p.exitValue(), after.toMillis(), dir.resolve("pouchdb-server.out"));
            schedule(after);
        });
    }

    /** The pause before the next start; doubles the one after it, up to {@link #MAX_PAUSE}. */
    private synchronized Duration takePause() {
        Duration now = pause;
        pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        return now;
    }

    private void schedule(Duration after) {
        try {
            supervisor.schedule(this::restart, after.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
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
            if (awaitAnswer(p, Duration.ofSeconds(30))) {
                LOG.info("the store (PouchDB Server) is back on port {} as pid {} (restart {})", port, p.pid(),
                        restarts);
            } else if (p.isAlive()) {
                LOG.warn("the restarted store (pid {}) does not answer on port {}; stopping it to try again",
                        p.pid(), port);
                p.destroyForcibly();
            }
            supervise(p);
        } catch (IOException | RuntimeException e) {
            Duration after = takePause();
            LOG.warn("the store (PouchDB Server) could not be started again: {}; next try in {} ms", e.toString(),
                    after.toMillis());
            schedule(after);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
        closing = true;
        supervisor.shutdownNow();
        Process p = process;
        if (p != null && p.isAlive()) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
