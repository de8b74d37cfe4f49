package dev.wisp.controller.api;

import dev.wisp.common.codec.Json;
import dev.wisp.common.error.WispException;
import dev.wisp.controller.api.request.ApiContext;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler of the API: maps Wisp's error family and Vert.x's HTTP errors to a status and the
 * OpenWhisk error body {@code {"error": "...", "code": "<transaction id>"}}. Anything unexpected is logged
 * with its transaction id and answered 500 without internals.
 */
final class ApiErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);
    private final long bodyLimit;

    ApiErrors(long bodyLimit) {
        this.bodyLimit = bodyLimit;
    }

    void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        int status;
        String message;
        if (failure instanceof WispException e) {
            status = e.status();
            message = e.getMessage();
            if (status == 500) {
                LOG.warn("[{}] {} {} -> {}: {}", ApiContext.tid(ctx), ctx.request().method(), ctx.request().path(),
                        status, message, e.getCause());
            } else if (status > 500) { // a condition that passes (the store or Kafka away): one line each
                LOG.warn("[{}] {} {} -> {}: {} ({})", ApiContext.tid(ctx), ctx.request().method(),
                        ctx.request().path(), status, message, String.valueOf(e.getCause()));
            }
        } else if (failure instanceof HttpException e) {
            status = e.getStatusCode();
            message = describe(status);
        } else if (failure instanceof DecodeException || failure instanceof IllegalArgumentException) {
            status = 400;
            message = "The request content was malformed: " + failure.getMessage();
        } else if (failure instanceof HttpClosedException) {
            // the caller (or the gateway for it) went away mid-request: nothing to answer, nothing broken
            LOG.info("[{}] {} {}: the client closed the connection", ApiContext.tid(ctx), ctx.request().method(),
                    ctx.request().path());
            return;
        } else if (failure == null) {
            status = ctx.statusCode() < 400 ? 500 : ctx.statusCode();
            message = describe(status);
        } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            // the router refused the request before any route, e.g. an HTTP/1.1 request without Host: the
            // client's mistake, on one line
            status = ctx.statusCode();
            message = status == 400 && ctx.request().authority() == null ? "The request has no Host header."
                    : describe(status);
            LOG.info("[{}] {} {} -> {}: {} ({})", ApiContext.tid(ctx), ctx.request().method(),
                    ApiContext.shorten(ctx.request().path()), status, message, failure.toString());
        } else {
            status = 500;
            message = "An internal error occurred; quote the code when reporting it.";
            LOG.error("[{}] {} {} failed", ApiContext.tid(ctx), ctx.request().method(), ctx.request().path(), failure);
        }
        if (ctx.response().ended()) {
            return;
        }
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        var body = Json.object().put("error", message).put("code", ApiContext.tid(ctx).value());
        if (status == 503 && ctx.response().headers().get("Retry-After") == null) {
            ctx.response().putHeader("Retry-After", "1"); // every 503 here is a condition that passes
        }
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader(ApiContext.REQUEST_ID_HEADER, ApiContext.tid(ctx).value())
                .end(Buffer.buffer(Json.encode(body)));
    }

    private String describe(int status) {
        return switch (status) {
            case 400 -> "The request could not be understood.";
            case 401 -> "The supplied authentication is invalid.";
            case 404 -> "The requested resource does not exist.";
            case 405 -> "The requested method is not allowed on this resource.";
            case 413 -> "The request content exceeds the limit of " + bodyLimit + " bytes.";
            case 415 -> "The request content type is not supported.";
            default -> "The request failed with status " + status + ".";
        };
    }
}
