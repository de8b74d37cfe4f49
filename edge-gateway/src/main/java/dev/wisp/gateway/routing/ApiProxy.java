package dev.wisp.gateway.routing;

import dev.wisp.common.auth.BasicCredentials;
import dev.wisp.common.http.HttpErrors;
import dev.wisp.common.message.TransactionId;
import dev.wisp.common.zookeeper.MemberInfo;
import dev.wisp.gateway.defence.EdgeLimits;
import dev.wisp.gateway.defence.RequestRates;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards API requests to a live controller, streaming bodies both ways. Each request gets an
 * {@code X-Request-ID} (the caller's, when it is sane) that becomes its transaction id everywhere.
 */
public final class ApiProxy {
    private static final Logger LOG = LoggerFactory.getLogger(ApiProxy.class);
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host");

    /** The paths of API routes; see {@link #isApiRoute}. */
    public static final String API_ROUTE = "/api/(?!v1(?:/|$))[^/]+(?:/.*)?";
    /** {@link #API_ROUTE} compiled once: every request is checked against it. */
    private static final Pattern API_ROUTE_PATTERN = Pattern.compile(API_ROUTE);

    /** Requests forwarded to one controller at once; more wait, up to {@link #MAX_WAITING}, then get a 503. */
    static final int MAX_IN_FLIGHT = 256;
    static final int MAX_WAITING = 256;
    /**
     * How long a request may wait for a connection to its controller. Past that the controller is not keeping up,
     * and the caller (who may have given up already) gets a fast 503 rather than a place in an ever longer queue:
     * an unbounded queue ahead of a slow controller ends with every request older than its client's timeout.
     */
    static final long MAX_QUEUED_MILLIS = 5_000;
    /**
     * Bodies one client address may stream to the controllers at once (those not read whole at the edge: chunked,
     * or over {@code gateway.buffer.body.bytes}). Each holds a controller connection until its last byte, and a
     * client that sends them slowly would otherwise hold all {@link #MAX_IN_FLIGHT} of them.
     */
    static final int MAX_UPLOADS_PER_ADDRESS = 16;
    /** Longest silence from a controller mid-request (a blocking invoke waits up to 60 s for its result). */
    public static final long CONTROLLER_IDLE_MILLIS = 150_000;

    private final HttpClient client;
    private final ControllerSet controllers;
    private final long maxBodyBytes;

    private final HealthChecker health;
    private final GatewayMetrics metrics;
    private final Vertx vertx;
    private final EdgeLimits limits;
    private final RequestRates rates;
    /** Bodies streaming to the controllers now, by client address. */
    private final Map<String, Integer> uploads = new ConcurrentHashMap<>();

    public ApiProxy(Vertx vertx, ControllerSet controllers, HealthChecker health, GatewayMetrics metrics,
                    long maxBodyBytes, EdgeLimits limits, RequestRates rates) {
        this.vertx = vertx;
        this.limits = limits;
        this.rates = rates;
        this.controllers = controllers;
        this.health = health;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2_000)
                .setKeepAliveTimeout(60), new PoolOptions().setHttp1MaxSize(MAX_IN_FLIGHT)
                .setMaxWaitQueueSize(MAX_WAITING));
    }

    public void handle(HttpServerRequest in) {
        TransactionId tid = TransactionId.fromHeader(in.getHeader(HttpErrors.REQUEST_ID));
        HttpServerResponse out = in.response();
        out.bodyEndHandler(v -> metrics.response(out.getStatusCode()));
        out.putHeader(HttpErrors.REQUEST_ID, tid.value());
        if (!isWeb(in)) {
            out.putHeader("Access-Control-Allow-Origin", "*"); // a web action's CORS headers are its controller's
        }
        String refusal = rates.refusal(in.remoteAddress() == null ? null : in.remoteAddress().hostAddress(),
                in.getHeader("Authorization"), System.nanoTime());
        if (refusal != null) {
            metrics.limited();
            out.putHeader("Retry-After", "1");
            refuseEarly(in, 429, refusal, tid);
            return;
        }
        if (needsCredentials(in) && BasicCredentials.parse(in.getHeader("Authorization")).isEmpty()) {
            refuseEarly(in, 401, "The supplied authentication is invalid.", tid);
            return;
        }
        long length = parseLength(in.getHeader("Content-Length"));
        if (length > maxBodyBytes) {
            refuseEarly(in, 413, "The request content exceeds the limit of " + maxBodyBytes
                    + " bytes (gateway.max.body.bytes).", tid);
            return;
        }
        boolean buffered = length > 0 && length <= limits.bufferedBodyBytes();
        String address = in.remoteAddress() == null ? "" : in.remoteAddress().hostAddress();
        boolean streams = !buffered && Relay.announcesBody(in);
        if (streams && uploads.getOrDefault(address, 0) >= MAX_UPLOADS_PER_ADDRESS) {
            metrics.limited();
            out.putHeader("Retry-After", "1");
            refuseEarly(in, 429, "Too many request bodies streaming from your address at once (at most "
                    + MAX_UPLOADS_PER_ADDRESS + "; a body with a Content-Length up to " + limits.bufferedBodyBytes()
                    + " bytes, gateway.buffer.body.bytes, does not count).", tid);
            return;
        }
        in.pause();
        Relay relay = new Relay(vertx, in, limits, maxBodyBytes, tid, metrics);
        if (buffered) {
            // a short body is read whole before a controller connection is taken: a client that stalls
            // mid-body holds only its own connection to the gateway
            relay.readAll().onSuccess(body -> forward(in, out, tid, relay, body, null));
        } else {
            if (streams) {
                uploads.merge(address, 1, Integer::sum);
                relay.onFinished(() -> uploads.computeIfPresent(address, (k, n) -> n <= 1 ? null : n - 1));
            }
            forward(in, out, tid, relay, null, null);
        }
    }

    /**
     * Answers from the headers alone, before any controller work. A body the request announced is never read,
     * so its connection ends with the answer.
     */
    private static void refuseEarly(HttpServerRequest in, int status, String message, TransactionId tid) {
        if (Relay.announcesBody(in)) {
            in.response().putHeader("Connection", "close");
        }
        HttpErrors.write(in, status, message, tid);
    }

    /**
     * Sends the request to a controller. A controller that refuses the connection never saw the request, so it
     * is safe to try the next one, once; any later failure is answered 503, since the request may have been
     * acted on.
     */
    private void forward(HttpServerRequest in, HttpServerResponse out, TransactionId tid, Relay relay, Buffer body,
                         String failedBefore) {
        Optional<MemberInfo> target = controllers.pick(failedBefore);
        if (target.isEmpty()) {
            closeUnlessRead(out, relay);
            HttpErrors.write(in, 503, "No controllers available.", tid);
            return;
        }
        MemberInfo c = target.get();
        RequestOptions options = new RequestOptions().setMethod(in.method()).setHost(c.host()).setPort(c.port())
                .setURI(in.uri()).setConnectTimeout(MAX_QUEUED_MILLIS).setIdleTimeout(CONTROLLER_IDLE_MILLIS);
        in.headers().forEach(h -> {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase())) {
                options.addHeader(h.getKey(), h.getValue());
            }
        });
        options.putHeader(HttpErrors.REQUEST_ID, tid.value());
        if (body != null) {
            options.removeHeader("Expect"); // the body is here already
        }
        if (isWeb(in)) {
            // a web action sees the request's headers; tell it the host and client it came from
            if (in.getHeader("Host") != null) {
                options.putHeader("X-Forwarded-Host", in.getHeader("Host"));
            }
            options.putHeader("X-Forwarded-Proto", in.scheme() == null ? "http" : in.scheme());
            if (in.remoteAddress() != null) {
                options.putHeader("X-Forwarded-For", in.remoteAddress().hostAddress());
            }
        }
        client.request(options)
                .onFailure(e -> {
                    boolean refused = e instanceof ConnectException;
                    if (refused) {
                        health.refused(c.id());
                    }
                    if (out.closed() || out.ended()) {
                        return; // the caller is gone, or its body failed and was answered
                    }
                    if (failedBefore == null) {
                        metrics.retried();
                        LOG.info("[{}] controller {} {}; trying another", tid, c.id(),
                                refused ? "refused the connection" : "is busy (" + e.getMessage() + ")");
                        forward(in, out, tid, relay, body, c.id());
                    } else {
                        closeUnlessRead(out, relay);
                        HttpErrors.write(in, 503, refused ? "No controller answered; try again."
                                : "The controllers are at capacity (" + MAX_IN_FLIGHT + " requests in flight and "
                                + MAX_WAITING + " waiting each, at most " + MAX_QUEUED_MILLIS
                                + " ms); try again.", tid);
                    }
                })
                .compose(req -> {
                    if (out.closed() || out.ended()) {
                        // the caller gave up while the request waited: it must not take effect now
                        req.reset();
                        return Future.succeededFuture();
                    }
                    metrics.forwarded(c.id());
                    return relay.send(req, body)
                            .onSuccess(resp -> {
                                if (out.closed() || out.ended()) {
                                    relay.release();
                                    req.reset();
                                    return;
                                }
                                out.setStatusCode(resp.statusCode());
                                // names once each, all their values (a web action may set several cookies)
                                resp.headers().names().forEach(name -> {
                                    if (!HOP_BY_HOP.contains(name.toLowerCase())
                                            && !name.equalsIgnoreCase(HttpErrors.REQUEST_ID)) {
                                        out.headers().set(name, resp.headers().getAll(name));
                                    }
                                });
                                if (resp.getHeader("Content-Length") == null) {
                                    out.setChunked(true);
                                }
                                boolean early = !relay.bodyDone();
                                if (early) {
                                    // answered before the body was all read (e.g. refused credentials): the
                                    // connection cannot carry another request after it, and closes once answered
                                    out.putHeader("Connection", "close");
                                }
                                copyAnswer(resp, out).onComplete(ar -> {
                                    if (early && !relay.bodyDone()) {
                                        // the controller's request will never end: its connection is closed,
                                        // not left in the pool to wait for the rest of a body forever
                                        relay.abandon();
                                        HttpErrors.linger(in);
                                    } else {
                                        relay.release();
                                    }
                                });
                            })
                            .onFailure(e -> {
                                relay.release();
                                if (out.closed() || out.ended()) {
                                    return; // reset for a caller that left or a body that failed at the edge
                                }
                                health.failed(c.id());
                                LOG.warn("[{}] controller {} failed: {}", tid, c.id(), e.toString());
                                closeUnlessRead(out, relay);
                                HttpErrors.write(in, 503, "The controller did not answer; the request may or may not have"
                                        + " taken effect.", tid);
                            });
                });
    }

    /**
     * Copies a controller's answer to the caller, pausing the controller while the caller reads slowly. A caller
     * that left mid-answer gets nothing more (its connection's close resets the controller's request, but chunks
     * already on their way still arrive); a controller that breaks off mid-answer breaks the caller's connection,
     * so the caller cannot take a cut answer for a whole one.
     */
    private static Future<Void> copyAnswer(HttpClientResponse resp, HttpServerResponse out) {
        Promise<Void> done = Promise.promise();
        resp.handler(chunk -> {
            if (out.closed() || out.ended()) {
                return;
            }
            out.write(chunk);
            if (out.writeQueueFull()) {
                resp.pause();
                out.drainHandler(v -> resp.resume());
            }
        });
        resp.exceptionHandler(e -> {
            if (done.tryFail(e) && !out.closed() && !out.ended()) {
                out.reset();
            }
        });
        resp.endHandler(v -> {
            if (!out.closed() && !out.ended()) {
                out.end();
            }
            done.tryComplete();
        });
        return done.future();
    }

    /** An answer before the whole body was read ends its connection: the rest of the body will not be read. */
    private static void closeUnlessRead(HttpServerResponse out, Relay relay) {
        if (!relay.bodyDone() && !out.headWritten()) {
            out.putHeader("Connection", "close");
        }
    }

    /** The API's namespace routes all need credentials (web actions and the info document do not). */
    private static boolean needsCredentials(HttpServerRequest in) {
        return in.path() != null && in.path().startsWith("/api/v1/namespaces");
    }

    /**
     * Web actions and API routes ({@code /api/{namespace}/...}, anything under {@code /api/} but {@code v1}): public
     * paths whose answers, CORS headers included, are their controller's, and whose actions see where the request
     * came from.
     */
    private static boolean isWeb(HttpServerRequest in) {
        return in.path() != null && (in.path().startsWith("/api/v1/web/") || isApiRoute(in.path()));
    }

    /** Whether a path is an API route's, {@code /api/{namespace}[/...]} with a namespace other than {@code v1}. */
    public static boolean isApiRoute(String path) {
        return API_ROUTE_PATTERN.matcher(path).matches();
    }

    private static long parseLength(String v) {
        if (v == null) {
            return -1;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public void close() {
        client.close();
    }
}
