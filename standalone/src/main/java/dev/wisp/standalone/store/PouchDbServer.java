package dev.wisp.standalone.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.standalone.supervise.SupervisedProcess;
import dev.wisp.standalone.supervise.SupervisedServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * PouchDB Server, a real CouchDB-API server, run as a child process that keeps its databases in a directory.
 * It writes {@code config.json} and {@code log.txt} into its working directory, which is that directory.
 * From an npm install of pouchdb-server ({@code .../node_modules/.bin/pouchdb-server}) it runs as Wisp's
 * {@code store-server.js}: the same CouchDB API from the same modules, without the parts Wisp never uses that
 * cost CPU on every request (validation of each write, which asks the database's size; a log line per request);
 * any other executable runs as given.
 * Supervised ({@link SupervisedProcess}): when it dies it is started again on the same port and directory, with
 * pauses growing up to {@link #MAX_PAUSE}. Meanwhile the controllers answer 503 with {@code Retry-After} and the
 * invokers hold their records until it is back: nothing accepted is lost. Its V8 young generation is capped
 * ({@link #SEMI_SPACE_MB}).
 */
public final class PouchDbServer extends SupervisedServer {
    static final Duration MAX_PAUSE = Duration.ofSeconds(30);
    /** CouchDB 3's default {@code max_document_size}. */
    public static final int MAX_DOCUMENT_BYTES = 8_000_000;

    private final Path executable;
    private final Path dir;
    private final int port;

    /**
     * V8's largest semi-space, MB: its young generation is two of them. Node's default lets a burst of requests (a
     * start, a load) grow it to 32 MB, which V8 gives back only when its memory reducer gets round to it, often long
     * after: an idle store held 90-91 MB. With 4 MB semi-spaces it holds 83 MB.
     */
    static final int SEMI_SPACE_MB = 4;

    /** The launcher, a resource of this class, written into the store's directory at each start. */
    public static final String LAUNCHER = "store-server.js";

    public PouchDbServer(Path executable, Path dir, int port) {
        super("the store (PouchDB Server)", command(executable, dir, port), environment(executable), dir,
                dir.resolve("pouchdb-server.out"), MAX_PAUSE, SupervisedProcess.STOP_GRACE);
        this.executable = executable;
        this.dir = dir;
        this.port = port;
    }

    /** The node_modules of an npm install of pouchdb-server that this executable is the bin link of, if it is. */
    static Optional<Path> modules(Path executable) {
        Path bin = executable.toAbsolutePath().getParent();
        if (bin == null || !bin.getFileName().toString().equals(".bin") || bin.getParent() == null) {
            return Optional.empty();
        }
        Path modules = bin.getParent();
        return Files.isDirectory(modules.resolve("express-pouchdb")) ? Optional.of(modules) : Optional.empty();
    }

    static List<String> command(Path executable, Path dir, int port) {
        return modules(executable).isPresent()
                ? List.of("node", dir.resolve(LAUNCHER).toString(), dir.toString(), String.valueOf(port), "127.0.0.1")
                : List.of(executable.toString(), "--dir", dir.toString(), "-p", String.valueOf(port), "-o",
                        "127.0.0.1", "-n");
    }

    static Map<String, String> environment(Path executable) {
        Map<String, String> env = new HashMap<>();
        env.put("NODE_OPTIONS", nodeOptions(System.getenv("NODE_OPTIONS")));
        modules(executable).ifPresent(m -> env.put("NODE_PATH", m.toString()));
        return env;
    }

    /** Node's options for the server: the caller's, and {@link #SEMI_SPACE_MB} unless the caller chose a size. */
    static String nodeOptions(String inherited) {
        if (inherited == null || inherited.isBlank()) {
            return "--max-semi-space-size=" + SEMI_SPACE_MB;
        }
        return inherited.contains("--max-semi-space-size") ? inherited
                : inherited + " --max-semi-space-size=" + SEMI_SPACE_MB;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the server, waits until {@code GET /} answers, and supervises it from then on. */
    public void start(Duration wait) throws IOException, InterruptedException {
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("PouchDB Server is not installed at " + executable
                    + ". Install it with: scripts/ensure-pouchdb.sh");
        }
        Files.createDirectories(dir);
        limitDocuments();
        if (modules(executable).isPresent()) {
            try (InputStream launcher = PouchDbServer.class.getResourceAsStream(LAUNCHER)) {
                Files.write(dir.resolve(LAUNCHER), Objects.requireNonNull(launcher, LAUNCHER).readAllBytes());
            }
        }
        startProcess(wait);
    }

    /**
     * Sets the largest document to CouchDB 3's default, {@link #MAX_DOCUMENT_BYTES} (PouchDB Server's own is
     * 4 GB), so that standalone refuses what a production CouchDB refuses, e.g. a record with 10 MB of logs.
     */
    private void limitDocuments() throws IOException {
        Path config = dir.resolve("config.json");
        ObjectNode root = Files.exists(config) ? readConfig(Files.readAllBytes(config)) : Json.object();
        ObjectNode couchdb = root.get("couchdb") instanceof ObjectNode section ? section : root.putObject("couchdb");
        if (!couchdb.has("max_document_size")) {
            couchdb.put("max_document_size", MAX_DOCUMENT_BYTES);
            Files.write(config, Json.encode(root));
        }
    }

    /**
     * The store's configuration file, or an empty one when it is not a JSON object: pouchdb-server, which rewrote
     * the file at each start, left it empty when that start met a full disk.
     */
    static ObjectNode readConfig(byte[] file) {
        try {
            return Json.decode(file, JsonNode.class) instanceof ObjectNode root ? root : Json.object();
        } catch (RuntimeException unreadable) {
            return Json.object();
        }
    }

    @Override
    protected boolean answers() {
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
}
