package dev.wisp.gateway.routing;

import dev.wisp.common.message.TransactionId;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own error answers, all in the API's form {@code {"error": "...", "code": "<request id>"}} with
 * {@code X-Request-ID}: for requests the HTTP decoder could not read (a request line or headers too long, a
 * missing {@code Host}, garbage), for requests the router could not route (a bad {@code %} escape) and for
 * paths the gateway does not serve. A client's mistake is logged on one line, never with a stack trace.
 */
public final class GatewayErrors {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayErrors.class);

    private GatewayErrors() {
    }

    /** The answer to a request the HTTP decoder failed on (the server's invalid request handler). */
    public static void invalid(HttpServerRequest request) {
        Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
        if (cause instanceof PrematureChannelClosureException) {
            return; // the connection closed mid-request (e.g. at the header deadline): nobody to answer
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
     * Routes a request unless its path has a malformed {@code %} escape, which the router would fail on before
     * any handler (with a plain-text answer).
     */
    public static io.vertx.core.Handler<HttpServerRequest> guard(io.vertx.core.Handler<HttpServerRequest> router) {
        return request -> {
            if (hasBadEscape(request.path())) {
                answer(request, 400, "The request path has a malformed %-escape.", null);
            } else {
                router.handle(request);
            }
        };
    }

    static boolean hasBadEscape(String path) {
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

    /** The router's failure handler: a request it could not route, e.g. with a malformed escape in its path. */
    public static void failed(RoutingContext ctx) {
        int status = ctx.statusCode() >= 400 && ctx.statusCode() < 500 ? ctx.statusCode() : 500;
        String message = status == 400 && ctx.request().authority() == null ? "The request has no Host header."
                : status == 400 ? "The request is malformed (e.g. a bad %-escape in its path)."
                : status == 404 ? "The requested resource does not exist."
                : status == 405 ? "The method " + ctx.request().method() + " is not allowed here."
                : status == 413 ? "The request content is too large."
                : status < 500 ? "The request cannot be served (status " + status + ")."
                : "The gateway failed to serve the request.";
        if (status >= 500) {
            LOG.warn("{} {} -> {}", ctx.request().method(), ctx.request().uri(), status, ctx.failure());
        }
        answer(ctx.request(), status, message, status >= 500 ? null : ctx.failure());
    }

    /** Answers {@code status} with the JSON error body, once; logs a client's mistake on one line. */
    public static void answer(HttpServerRequest request, int status, String message, Throwable cause) {
        TransactionId tid = TransactionId.fromHeader(request.getHeader(ApiProxy.REQUEST_ID));
        if (status < 500) {
            LOG.info("[{}] {} -> {}: {}{}", tid, request.method(), status, message,
                    cause == null ? "" : " (" + cause.getClass().getSimpleName() + ")");
        }
        if (!request.response().headWritten()) {
            request.response().putHeader(ApiProxy.REQUEST_ID, tid.value());
        }
        ApiProxy.fail(request, status, message, tid);
    }
}
