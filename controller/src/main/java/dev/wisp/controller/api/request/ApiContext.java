package dev.wisp.controller.api.request;

import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.Identity;
import dev.wisp.common.entity.NamespaceLimits;
import dev.wisp.common.error.WispException;
import dev.wisp.common.http.HttpErrors;
import dev.wisp.common.message.TransactionId;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/** Per-request values that the API handlers share: the transaction id, the caller, JSON replies. */
public final class ApiContext {
    static final String TID = "wisp.tid";
    public static final String IDENTITY = "wisp.identity";
    public static final String LIMITS = "wisp.limits";
    public static final String REQUEST_ID_HEADER = HttpErrors.REQUEST_ID;

    private ApiContext() {
    }

    public static TransactionId tid(RoutingContext ctx) {
        TransactionId tid = ctx.get(TID);
        if (tid == null) {
            tid = TransactionId.fromHeader(ctx.request().getHeader(REQUEST_ID_HEADER));
            ctx.put(TID, tid);
        }
        return tid;
    }

    public static Identity identity(RoutingContext ctx) {
        return ctx.get(IDENTITY);
    }

    /** The caller's namespace limits: the subject's overrides over the system defaults, every field set. */
    public static NamespaceLimits limits(RoutingContext ctx) {
        return ctx.get(LIMITS);
    }

    /** A user-supplied value fit for an error message: at most 40 characters, no control characters. */
    public static String shorten(String s) {
        if (s == null) {
            return "";
        }
        String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    /**
     * The namespace a path names, resolving {@code _} to the caller's own.
     *
     * @throws WispException FORBIDDEN when the caller's key does not reach that namespace
     */
    public static String namespace(RoutingContext ctx) {
        return namespace(ctx, ctx.pathParam("ns"));
    }

    /** {@link #namespace(RoutingContext)} for a namespace taken from the path by the handler. */
    public static String namespace(RoutingContext ctx, String ns) {
        Identity identity = identity(ctx);
        if (ns == null || ns.equals("_") || ns.equals(identity.namespace())) {
            return identity.namespace();
        }
        throw WispException.forbidden("The supplied authentication is not authorized to access '" + shorten(ns)
                + "'.");
    }

    /**
     * The namespace a path names, resolving {@code _} to the caller's own, for reads that may reach published
     * packages of other namespaces (the handler checks that).
     */
    public static String anyNamespace(RoutingContext ctx) {
        return anyNamespace(ctx, ctx.pathParam("ns"));
    }

    /** {@link #anyNamespace(RoutingContext)} for a namespace taken from the path by the handler. */
    public static String anyNamespace(RoutingContext ctx, String ns) {
        Identity identity = identity(ctx);
        if (ns == null || ns.equals("_")) {
            return identity.namespace();
        }
        return dev.wisp.common.entity.EntityName.require("namespace", ns);
    }

    public static void json(RoutingContext ctx, int status, Object body) {
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(Json.encode(body)));
    }

    public static byte[] body(RoutingContext ctx) {
        return ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    }

    /** A boolean query parameter; absent means {@code fallback}. */
    public static boolean flag(RoutingContext ctx, String name, boolean fallback) {
        String v = ctx.queryParams().get(name);
        if (v == null) {
            return fallback;
        }
        if (v.equalsIgnoreCase("true") || v.isEmpty()) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw WispException.badRequest("The query parameter '" + name + "' must be true or false, got '"
                + shorten(v) + "'.");
    }
}
