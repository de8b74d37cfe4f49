package dev.wisp.common.http;

import dev.wisp.common.codec.Json;
import dev.wisp.common.message.TransactionId;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The error answers of Wisp's HTTP servers (the edge gateway and the controllers) for requests that never reach
 * a handler, in the API's form {@code {"error": "...", "code": "<request id>"}} with {@code X-Request-ID}: a
 * request the HTTP decoder could not read (a request line or headers too long, a missing {@code Host}, garbage)
 * and a path with a malformed {@code %} escape, which a router fails on before any handler. A client's mistake
 * is logged on one line, never with a stack trace.
 *
 * <pre>{@code
 * vertx.createHttpServer(options).requestHandler(HttpErrors.guard(router)).invalidRequestHandler(HttpErrors::invalid)
 * }</pre>
 */
public final class HttpErrors {
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);
    public static final String REQUEST_ID = "X-Request-ID";
    /** How long the rest of a request answered early is read and dropped before its connection closes. */
    public static final long LINGER_MILLIS = 2_000;

    private HttpErrors() {
    }

    /**
     * The answer to a request the HTTP decoder failed on (a server's invalid request handler): 414 for a request
     * line too long, 431 for headers too large, else 400; the connection is closed after it.
     */
    public static void invalid(HttpServerRequest request) {
        Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
        if (cause instanceof PrematureChannelClosureException) {
            return; // the connection closed mid-request (e.g. at a header deadline): nobody to answer
        }
        int status = 400;
        String message = "The request could not be read as HTTP.";
        if (cause instanceof TooLongFrameException && cause.getMessage() != null) {
            if (cause.getMessage().startsWith("An HTTP line is larger than")) {
                status = 414;
                message = "The request line is too long: " + cause.getMessage();
            } else if (cause.getMessage().startsWith("HTTP header is larger than")) {
                status = 431;
                message = "The request headers are too large: " + cause.getMessage();
            }
        } else if (cause == null && request.authority() == null) {
            message = "The request has no Host header.";
        }
        // what was sent after a request that cannot be read cannot be trusted either
        request.response().putHeader("Connection", "close");
        answer(request, status, message, cause);
    }

    /**
     * Passes a request on unless its path has a malformed {@code %} escape, which a router would fail on before
     * any handler (with a plain-text answer); that one is answered 400 here.
     */
    public static Handler<HttpServerRequest> guard(Handler<HttpServerRequest> next) {
        return request -> {
            if (hasBadEscape(request.path())) {
                answer(request, 400, "The request path has a malformed %-escape.", null);
            } else {
                next.handle(request);
            }
        };
    }

    /** Whether a path has a {@code %} not followed by two hexadecimal digits. */
    public static boolean hasBadEscape(String path) {
        if (path == null) {
            return false;
        }
        for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
            if (i + 2 >= path.length() || Character.digit(path.charAt(i + 1), 16) < 0
                    || Character.digit(path.charAt(i + 2), 16) < 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Answers {@code status} with the JSON error body and {@code X-Request-ID} (the caller's when it sent a usable
     * one), once; logs a client's mistake (below 500) on one line.
     */
    public static void answer(HttpServerRequest request, int status, String message, Throwable cause) {
        TransactionId tid = TransactionId.fromHeader(request.getHeader(REQUEST_ID));
        if (status < 500) {
            LOG.info("[{}] {} -> {}: {}{}", tid, request.method(), status, message,
                    cause == null ? "" : " (" + cause.getClass().getSimpleName() + ")");
        }
        if (!request.response().headWritten()) {
            request.response().putHeader(REQUEST_ID, tid.value());
        }
        write(request, status, message, tid);
    }

    /**
     * Ends a request's response with {@code status} and the JSON error body ({@code Retry-After: 1} with a 503,
     * which always passes); a response already under way is reset instead, one already ended is left alone. An
     * answer marked {@code Connection: close}, given before the request was read whole, ends its connection
     * once written ({@link #linger}): whatever the client sends after it is not a request.
     */
    public static void write(HttpServerRequest in, int status, String message, TransactionId tid) {
        HttpServerResponse out = in.response();
        if (out.closed() || out.ended()) {
            return;
        }
        if (out.headWritten()) {
            out.reset();
            return;
        }
        if (status == 503 && out.headers().get("Retry-After") == null) {
            out.putHeader("Retry-After", "1");
        }
        out.setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(Json.encode(Json.object().put("error", message).put("code", tid.value()))))
                .onComplete(written -> {
                    if ("close".equalsIgnoreCase(out.headers().get("Connection"))) {
                        linger(in);
                    }
                });
    }

    /**
     * Closes the connection of a request answered before it was read whole, after reading and dropping what the
     * client still sends for up to {@link #LINGER_MILLIS}: closing a socket with unread bytes resets it, and a
     * reset can destroy the answer in the client's buffers before the client reads it.
     */
    public static void linger(HttpServerRequest in) {
        Context context = Vertx.currentContext();
        if (context == null || in.isEnded()) {
            in.connection().close();
            return;
        }
        long timer = context.owner().setTimer(LINGER_MILLIS, t -> in.connection().close());
        try {
            in.handler(dropped -> { });
            in.endHandler(v -> {
                context.owner().cancelTimer(timer);
                in.connection().close();
            });
            in.resume();
        } catch (IllegalStateException alreadyRead) {
            in.connection().close();
        }
    }
}
