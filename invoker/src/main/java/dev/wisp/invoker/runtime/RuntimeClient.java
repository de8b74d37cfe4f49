package dev.wisp.invoker.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Speaks OpenWhisk's action runtime protocol ({@code POST /init}, {@code POST /run}) to containers over
 * keep-alive HTTP. Wisp's own runtimes also return the activation's log lines with the result when asked with
 * {@code X-Wisp-Envelope: 1}; other images answer the plain protocol. Wisp's runtimes get a secret of their own
 * in {@link #TOKEN_ENV} when their container is created and answer only requests that carry it
 * ({@code Authorization: Bearer <token>}), so no other container can drive them. A {@code /run} is never retried:
 * it may have run.
 */
public final class RuntimeClient implements AutoCloseable {
    /** The environment variable that gives a Wisp runtime its token. */
    public static final String TOKEN_ENV = "WISP_RUNTIME_TOKEN";
    /** Set to {@code 0}, a Wisp runtime opens its port without warming up first (a request waits for it). */
    public static final String WARMUP_ENV = "WISP_WARMUP";
    static final String ENVELOPE = "X-Wisp-Envelope";
    static final String LOG_LIMIT = "X-Wisp-Log-Limit";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A runtime to speak to.
     *
     * @param token     its token, or null for a runtime that takes none (a user's own image)
     * @param keepAlive false for images not known to serve several connections at once: each request then gets
     *                  a connection of its own, closed after the answer, so a single-threaded server never waits
     *                  on an idle pooled connection
     */
    public record Endpoint(String host, int port, String token, boolean keepAlive) {
    }

    /** A fresh random token for a new container (256 bits, URL-safe base64). */
    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private final Vertx vertx;
    private final HttpClient http;
    private volatile boolean closed;

    public RuntimeClient(Vertx vertx) {
        this.vertx = vertx;
        this.http = vertx.createHttpClient(new HttpClientOptions()
                        .setKeepAlive(true)
                        .setConnectTimeout(1_000)
                        .setMaxChunkSize(65_536)
                        .setKeepAliveTimeout(600),
                new PoolOptions().setHttp1MaxSize(64));
    }

    /**
     * Initializes a fresh container, retrying while no answer comes (its port refuses connections, or a
     * published port's proxy drops them, while the runtime boots) until {@code timeoutMs} passes. Retrying is
     * safe here: a runtime that answered nothing did not take the code.
     */
    public Future<RunResult> init(Endpoint to, ObjectNode value, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        Buffer body = Buffer.buffer(Json.encode(Json.object().set("value", value)));
        Promise<RunResult> promise = Promise.promise();
        tryInit(to, body, deadline, promise);
        return promise.future();
    }

    private void tryInit(Endpoint to, Buffer body, long deadline, Promise<RunResult> promise) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
            promise.complete(RunResult.timeout());
            return;
        }
        post(to, "/init", body, left, 0).onComplete(ar -> {
            RunResult r = ar.result();
            if (r.failure() != null && !closed) {
                vertx.setTimer(5, t -> tryInit(to, body, deadline, promise));
            } else {
                promise.complete(r);
            }
        });
    }

    /**
     * Opens a keep-alive connection to a runtime before anything needs it: its {@code GET /health}, tried again
     * while it boots, until {@code timeoutMs} passes. The {@code /init} that later takes the container (a stem
     * cell) finds the connection open instead of paying a TCP handshake and the runtime's set-up of a new
     * connection (2 ms of a Node.js stem cell's first result on a slow VM). Tried while {@code wanted} says so (the
     * container is still a stem cell of the pool). Best effort: the Future always succeeds.
     */
    public Future<Void> connectAhead(Endpoint to, long timeoutMs, BooleanSupplier wanted) {
        Promise<Void> done = Promise.promise();
        tryConnect(to, System.currentTimeMillis() + timeoutMs, wanted, done);
        return done.future();
    }

    private void tryConnect(Endpoint to, long deadline, BooleanSupplier wanted, Promise<Void> done) {
        if (closed || !to.keepAlive() || !wanted.getAsBoolean() || System.currentTimeMillis() > deadline) {
            done.tryComplete();
            return;
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(to.host()).setPort(to.port())
                .setURI("/health").setIdleTimeout(1_000);
        http.request(options)
                .compose(req -> req.send().compose(resp -> resp.body()))
                .onComplete(ar -> {
                    if (ar.succeeded() || closed) {
                        done.tryComplete();
                    } else {
                        vertx.setTimer(20, t -> tryConnect(to, deadline, wanted, done));
                    }
                });
    }

    /** Runs one activation; the Future always succeeds, describing a failure in the result. */
    public Future<RunResult> run(Endpoint to, ObjectNode request, long timeoutMs, long logLimitBytes) {
        return post(to, "/run", Buffer.buffer(Json.encode(request)), timeoutMs, logLimitBytes);
    }

    private Future<RunResult> post(Endpoint to, String uri, Buffer body, long timeoutMs, long logLimit) {
        Promise<RunResult> promise = Promise.promise();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(to.host()).setPort(to.port())
                .setURI(uri)
                .putHeader("Content-Type", "application/json")
                .putHeader(ENVELOPE, "1");
        if (to.token() != null) {
            options.putHeader("Authorization", "Bearer " + to.token());
        }
        if (!to.keepAlive()) {
            options.putHeader("Connection", "close");
        }
        if (logLimit > 0) {
            options.putHeader(LOG_LIMIT, String.valueOf(logLimit));
        }
        if (closed) { // the invoker is stopping: an /init retry's timer may still fire after the client closed
            return Future.succeededFuture(RunResult.failed("The invoker is shutting down."));
        }
        long timer = vertx.setTimer(Math.max(1, timeoutMs), t -> promise.tryComplete(RunResult.timeout()));
        http.request(options)
                .compose(req -> {
                    promise.future().onSuccess(r -> {
                        if (r.timedOut()) {
                            req.reset();
                        }
                    });
                    return req.send(body);
                })
                .compose(resp -> resp.body().map(b -> decode(resp.statusCode(), "1".equals(resp.getHeader(ENVELOPE)), b)))
                .onComplete(ar -> {
                    vertx.cancelTimer(timer);
                    if (ar.succeeded()) {
                        promise.tryComplete(ar.result());
                    } else {
                        Throwable e = ar.cause();
                        promise.tryComplete(RunResult.failed(e instanceof ConnectException
                                ? "The action container refused the connection."
                                : "The action did not produce a valid response and exited unexpectedly."));
                    }
                });
        return promise.future();
    }

    private static RunResult decode(int status, boolean envelope, Buffer body) {
        JsonNode node;
        try {
            node = body.length() == 0 ? null : Json.mapper().readTree(body.getBytes());
        } catch (Exception e) {
            node = null;
        }
        List<String> logs = new ArrayList<>();
        if (envelope && node != null && node.isObject()) {
            node.path("logs").forEach(l -> logs.add(l.asText()));
            JsonNode result = node.get("result");
            return new RunResult(status, result, result == null ? 0 : Json.encode(result).length, logs, false, null, true);
        }
        return new RunResult(status, node, body.length(), logs, false, null, false);
    }

    @Override
    public void close() {
        closed = true;
        http.close();
    }
}
