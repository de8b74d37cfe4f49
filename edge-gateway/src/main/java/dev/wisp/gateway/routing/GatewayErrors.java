package dev.wisp.gateway.routing;

import dev.wisp.common.http.HttpErrors;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway router's failure handler, in the API's error form; requests that never reach the router (garbage,
 * a missing {@code Host}, a bad {@code %} escape) are answered by {@link HttpErrors} as on the controllers.
 */
public final class GatewayErrors {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayErrors.class);

    private GatewayErrors() {
    }

    /** A request the router could not serve. */
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
        HttpErrors.answer(ctx.request(), status, message, status >= 500 ? null : ctx.failure());
    }
}
