package dev.wisp.runtime;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wisp's Java action runtime: the OpenWhisk action protocol (POST /init, POST /run) on port 8080, plus
 * per-activation log capture returned in a JSON envelope when the invoker asks for it (request header
 * {@code X-Wisp-Envelope: 1}). Each exchange runs on a pool thread, so activations may run concurrently.
 * When the container is given {@code WISP_RUNTIME_TOKEN}, /init and /run need {@code Authorization: Bearer <token>}.
 */
public final class ActionServer {
    static final String SENTINEL = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n";
    static final long DEFAULT_LOG_LIMIT = 10L * 1024 * 1024;
    static final int MAX_BODY = 128 * 1024 * 1024;
    static final String TOKEN_VARIABLE = "WISP_RUNTIME_TOKEN";
    static final String UNAUTHORIZED = "This action container accepts requests from its invoker only.";

    private enum Phase { NEW, INITIALIZING, READY }

    private final PrintStream realOut;
    private final PrintStream realErr;
    private final Path workRoot;
    private final byte[] tokenDigest; // SHA-256 of the invoker's token; null: no token, the plain protocol
    private final Object lock = new Object();
    private Phase phase = Phase.NEW; // guarded by lock
    private volatile JarAction action;

    private ActionServer(PrintStream realOut, PrintStream realErr, Path workRoot, String token) {
        this.realOut = realOut;
        this.realErr = realErr;
        this.workRoot = workRoot;
        this.tokenDigest = token == null || token.isEmpty() ? null : digest(token);
    }

    /** An answer that ends a request early: status and error text. */
    private static final class HttpError extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        HttpError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private record Outcome(int status, JsonObject result) {
    }

    public static void main(String[] args) throws IOException {
        PrintStream realOut = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream realErr = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        System.setOut(new PrintStream(new RoutedOutputStream(LogCapture.STDOUT, realOut), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new RoutedOutputStream(LogCapture.STDERR, realErr), true, StandardCharsets.UTF_8));
        // the invoker's token: read once, then out of System.getenv() (and of the environment the JDK gives the
        // processes an action starts with ProcessBuilder.environment())
        String token = System.getenv(TOKEN_VARIABLE);
        if (!ActivationEnv.install()) {
            realErr.println("wisp runtime: actions will not see __OW_* variables in System.getenv() "
                    + "(start the JVM with --add-opens java.base/java.util=ALL-UNNAMED)");
        }
        ActivationEnv.removeFromProcess(TOKEN_VARIABLE);
        ActivationEnv.removeFromProcess("WISP_WARMUP"); // the invoker's, read by the Node.js runtime only
        ActionServer runtime = new ActionServer(realOut, realErr, Path.of(System.getProperty("java.io.tmpdir")),
                token);
        boolean warmUp = args.length > 0 && "--warm-up".equals(args[0]);
        int port = warmUp ? 0 : Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 256);
        server.createContext("/", runtime::handle);
        AtomicInteger threads = new AtomicInteger();
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "wisp-exchange-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        }));
        server.start();
        if (warmUp) {
            WarmUp.exercise(server.getAddress().getPort());
            System.exit(0);
        }
        realOut.println("wisp java runtime listening on " + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) {
        try {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if ("POST".equals(method) && ("/init".equals(path) || "/run".equals(path)) && !authorized(exchange)) {
                refuse(exchange);
            } else if ("POST".equals(method) && "/init".equals(path)) {
                handleInit(exchange, readJson(exchange));
            } else if ("POST".equals(method) && "/run".equals(path)) {
                handleRun(exchange, readJson(exchange));
            } else if ("GET".equals(method) && "/health".equals(path)) {
                JsonObject ok = new JsonObject();
                ok.addProperty("OK", true);
                send(exchange, 200, ok, false);
            } else {
                send(exchange, 404, error("No route for " + method + " " + path), false);
            }
        } catch (HttpError e) {
            sendQuietly(exchange, e.status, error(e.getMessage()));
        } catch (Throwable t) {
            t.printStackTrace(realErr);
            sendQuietly(exchange, 500, error("Internal error: " + t));
        } finally {
            exchange.close();
        }
    }

    /**
     * True when no token was given, or the request carries {@code Authorization: Bearer <token>}. The SHA-256
     * digests are compared in constant time, whatever the lengths.
     */
    private boolean authorized(HttpExchange exchange) {
        if (tokenDigest == null) {
            return true;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String given = "";
        boolean bearer = false;
        if (header != null) {
            String trimmed = header.strip();
            int space = trimmed.indexOf(' ');
            if (space > 0 && "bearer".equalsIgnoreCase(trimmed.substring(0, space))) {
                given = trimmed.substring(space + 1).strip();
                bearer = !given.isEmpty() && given.indexOf(' ') < 0;
            }
        }
        boolean same = MessageDigest.isEqual(digest(given), tokenDigest);
        return bearer && same;
    }

    /**
     * 401, the body never parsed: after the answer it is read and dropped, so that the connection stays usable
     * (the JDK's own drain on close gives up after 64 KB and closes the connection); past MAX_BODY it closes.
     */
    private static void refuse(HttpExchange exchange) throws IOException {
        byte[] bytes = error(UNAUTHORIZED).toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        exchange.sendResponseHeaders(401, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
            out.flush();
            InputStream in = exchange.getRequestBody();
            byte[] sink = new byte[65536];
            long left = MAX_BODY;
            for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
                left -= n;
            }
        }
    }

    static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private void handleInit(HttpExchange exchange, JsonObject body) throws IOException {
        synchronized (lock) {
            if (phase != Phase.NEW) {
                send(exchange, 403, error("Cannot initialize the action more than once."), false);
                return;
            }
            phase = Phase.INITIALIZING;
        }
        String failure;
        try {
            JsonElement value = body.get("value");
            action = init(value != null && value.isJsonObject() ? value.getAsJsonObject() : new JsonObject());
            synchronized (lock) {
                phase = Phase.READY;
            }
            JsonObject ok = new JsonObject();
            ok.addProperty("OK", true);
            send(exchange, 200, ok, false);
            return;
        } catch (JarAction.InitException e) {
            failure = e.getMessage();
        } catch (Throwable t) {
            t.printStackTrace(realErr);
            failure = t.toString();
        }
        synchronized (lock) {
            phase = Phase.NEW;
        }
        send(exchange, 502, error("Initialization has failed due to: " + failure), false);
    }

    private JarAction init(JsonObject value) throws JarAction.InitException, IOException {
        JsonElement code = value.get("code");
        if (code == null || !code.isJsonPrimitive() || code.getAsString().isEmpty()) {
            throw new JarAction.InitException("Missing action code (\"value.code\"): a base64 jar.");
        }
        JsonElement env = value.get("env");
        if (env != null && env.isJsonObject()) {
            Map<String, String> vars = new HashMap<>();
            env.getAsJsonObject().entrySet().forEach(e -> vars.put(e.getKey(), text(e.getValue())));
            ActivationEnv.addToProcess(vars);
        }
        JsonElement main = value.get("main");
        String mainName = main != null && main.isJsonPrimitive() ? main.getAsString() : null;
        return JarAction.load(code.getAsString(), mainName, workRoot);
    }

    private void handleRun(HttpExchange exchange, JsonObject body) throws IOException {
        JarAction ready = action;
        if (ready == null) {
            send(exchange, 403, error("The action has not been initialized."), false);
            return;
        }
        Map<String, String> env = new HashMap<>();
        for (Map.Entry<String, JsonElement> e : body.entrySet()) {
            if (!"value".equals(e.getKey())) {
                env.put("__OW_" + e.getKey().toUpperCase(Locale.ROOT), text(e.getValue()));
            }
        }
        JsonElement value = body.get("value");
        JsonObject params = value != null && value.isJsonObject() ? value.getAsJsonObject() : new JsonObject();
        LogCapture capture = new LogCapture(logLimit(exchange));
        Outcome outcome;
        try {
            outcome = new Activation(capture, env).run(() -> activate(ready, params));
        } catch (Exception e) {
            throw new IllegalStateException(e); // activate() catches everything the action throws
        }
        if ("1".equals(exchange.getRequestHeaders().getFirst("X-Wisp-Envelope"))) {
            JsonArray logs = new JsonArray();
            capture.lines().forEach(l -> logs.add(l.formatted()));
            JsonObject envelope = new JsonObject();
            envelope.add("result", outcome.result());
            envelope.add("logs", logs);
            send(exchange, outcome.status(), envelope, true);
            return;
        }
        for (LogCapture.Line line : capture.lines()) {
            (LogCapture.STDOUT.equals(line.stream()) ? realOut : realErr).print(line.text() + "\n");
        }
        realOut.print(SENTINEL);
        realErr.print(SENTINEL);
        realOut.flush();
        realErr.flush();
        send(exchange, outcome.status(), outcome.result(), false);
    }

    /** Runs on the activation's thread, inside its log capture. */
    private static Outcome activate(JarAction action, JsonObject params) {
        try {
            JsonElement result = action.invoke(params);
            if (result != null && result.isJsonObject()) {
                return new Outcome(200, result.getAsJsonObject());
            }
            return new Outcome(502, error("The action did not return a dictionary."));
        } catch (Throwable t) {
            t.printStackTrace();
            return new Outcome(502, error("An error has occurred: " + t));
        }
    }

    private static long logLimit(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("X-Wisp-Log-Limit");
        try {
            long limit = header == null ? DEFAULT_LOG_LIMIT : Long.parseLong(header.trim());
            return limit >= 0 ? limit : DEFAULT_LOG_LIMIT;
        } catch (NumberFormatException e) {
            return DEFAULT_LOG_LIMIT;
        }
    }

    private static String text(JsonElement value) {
        if (value == null || value.isJsonNull()) {
            return "";
        }
        return value.isJsonPrimitive() ? value.getAsString() : value.toString();
    }

    private static JsonObject error(String message) {
        JsonObject error = new JsonObject();
        error.addProperty("error", message);
        return error;
    }

    private static JsonObject readJson(HttpExchange exchange) throws IOException, HttpError {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null && Long.parseLong(length.trim()) > MAX_BODY) {
            throw new HttpError(413, "Request body too large.");
        }
        byte[] raw;
        try (InputStream in = exchange.getRequestBody()) {
            raw = in.readNBytes(MAX_BODY + 1);
        }
        if (raw.length > MAX_BODY) {
            throw new HttpError(413, "Request body too large.");
        }
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(new String(raw, StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            throw new HttpError(400, "Invalid JSON request body: " + e.getMessage());
        }
        if (parsed == null || !parsed.isJsonObject()) {
            throw new HttpError(400, "Invalid JSON request body: expected a JSON object");
        }
        return parsed.getAsJsonObject();
    }

    private static void send(HttpExchange exchange, int status, JsonObject body, boolean envelope) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (envelope) {
            exchange.getResponseHeaders().set("X-Wisp-Envelope", "1");
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void sendQuietly(HttpExchange exchange, int status, JsonObject body) {
        try {
            send(exchange, status, body, false);
        } catch (IOException | RuntimeException e) {
            // the client went away, or the answer was already under way
        }
    }
}
