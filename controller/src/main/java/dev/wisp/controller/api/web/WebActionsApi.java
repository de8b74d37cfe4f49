package dev.wisp.controller.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.config.Limits;
import dev.wisp.common.entity.Activation;
import dev.wisp.common.entity.ActivationResponse;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Kinds;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.error.WispException;
import dev.wisp.controller.activation.Invocations;
import dev.wisp.controller.activation.Sequences;
import dev.wisp.controller.api.auth.Authenticator;
import dev.wisp.controller.api.auth.NamespaceOwners;
import dev.wisp.controller.api.request.ApiContext;
import dev.wisp.controller.api.resource.ActionAnnotations;
import dev.wisp.controller.api.resource.InvokeApi;
import dev.wisp.controller.entity.ActionResolver;
import dev.wisp.controller.entity.ResolvedAction;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/v1/web/{namespace}/{package or default}/{action}.{ext}}: OpenWhisk's web actions. Any method, no
 * credentials unless the action's {@code require-whisk-auth} asks for them; only actions annotated
 * {@code web-export: true} answer. The action runs as its namespace's owner, blocking, and its result becomes
 * the HTTP response ({@link WebResults}); {@code raw-http}, {@code final} and {@code web-custom-options} work as
 * in OpenWhisk.
 */
public final class WebActionsApi {
    static final String REQUIRE_AUTH_HEADER = "X-Require-Whisk-Auth";
    private static final String ERROR_PROCESSING = "There was an error processing your request.";
    private static final String NOT_FOUND = "The requested resource does not exist.";

    private final ActionResolver resolver;
    private final Invocations invocations;
    private final Sequences sequences;
    private final Limits limits;
    private final NamespaceOwners owners;
    private final Authenticator auth;

    private record Target(Authenticator.Caller owner, ResolvedAction resolved) {
    }

    public WebActionsApi(ActionResolver resolver, Invocations invocations, Sequences sequences, Limits limits,
                  NamespaceOwners owners, Authenticator auth) {
        this.resolver = resolver;
        this.invocations = invocations;
        this.sequences = sequences;
        this.limits = limits;
        this.owners = owners;
        this.auth = auth;
    }

    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        WebPath web = WebPath.parse(ctx.normalizedPath()).orElseThrow(() -> WispException.notFound(NOT_FOUND));
        String length = request.getHeader("Content-Length");
        if (length != null && parseLength(length) > limits.payloadBytes()) {
            throw tooLarge(" (" + length.trim() + " bytes)");
        }
        Future<Buffer> body = readBody(request, limits.payloadBytes());
        target(web).compose(t -> body.compose(b -> serve(ctx, web, t, b.getBytes(), null))).onFailure(ctx::fail);
    }

    /**
     * How an API route calls its web action: with the path's parameters (over the query's, under the body's)
     * and with or without the default CORS headers.
     */
    record RouteCall(Map<String, String> parameters, boolean cors) {
    }

    /**
     * Serves an API route the way its web action's URL would serve the request, {@code relPath} as
     * {@code __ow_path}. The request must be paused (or its body not yet begun) when this is called.
     */
    void serveRoute(RoutingContext ctx, EntityPath action, WebPath.Extension extension, String relPath,
                    RouteCall call) {
        String length = ctx.request().getHeader("Content-Length");
        if (length != null && parseLength(length) > limits.payloadBytes()) {
            ctx.fail(tooLarge(" (" + length.trim() + " bytes)"));
            return;
        }
        WebPath web = new WebPath(action.namespace(), action.packageName(), action.name(), extension, relPath, true);
        Future<Buffer> body = readBody(ctx.request(), limits.payloadBytes());
        target(web).compose(t -> body.compose(b -> serve(ctx, web, t, b.getBytes(), call))).onFailure(ctx::fail);
    }

    /**
     * Checks that an action exists and is exported to the web, as an API route needs.
     *
     * @return fails with BAD_REQUEST saying how to export it, NOT_FOUND when there is no such action
     */
    Future<Void> requireExported(EntityPath action) {
        return owners.owner(action.namespace()).compose(owner -> {
            if (owner.isEmpty()) {
                return Future.failedFuture(WispException.notFound("The action '/" + action + "' does not exist."));
            }
            return resolver.resolve(owner.get().identity(), action).compose(resolved ->
                    ActionAnnotations.isTrue(resolved.action(), "web-export") ? Future.<Void>succeededFuture()
                    : Future.failedFuture(WispException.badRequest("Action '/" + action + "' is not a web action."
                            + " Issue 'wsk action update \"" + action.relative() + "\" --web true' to convert the"
                            + " action to a web action.")));
        });
    }

    /** The owner and the exported action; NOT_FOUND when either is missing or the action is not exported. */
    private Future<Target> target(WebPath web) {
        return owners.owner(web.namespace()).compose(owner -> {
            if (owner.isEmpty()) {
                return Future.failedFuture(WispException.notFound(NOT_FOUND));
            }
            return exported(owner.get(), web.entityPath())
                    .recover(e -> unknownExtension(owner.get(), web, e))
                    .map(resolved -> new Target(owner.get(), resolved));
        });
    }

    private Future<ResolvedAction> exported(Authenticator.Caller owner, EntityPath path) {
        return resolver.resolve(owner.identity(), path).compose(resolved ->
                ActionAnnotations.isTrue(resolved.action(), "web-export")
                ? Future.succeededFuture(resolved)
                : Future.failedFuture(WispException.notFound(NOT_FOUND)));
    }

    /**
     * No action has the name: if it ends in an extension OpenWhisk does not know ({@code hello.xml}) and the
     * action without it is a web action, say which extensions there are rather than only "not found".
     */
    private Future<ResolvedAction> unknownExtension(Authenticator.Caller owner, WebPath web, Throwable notFound) {
        Optional<EntityPath> base = web.withoutUnknownExtension();
        if (base.isEmpty() || !(notFound instanceof WispException w) || w.status() != 404) {
            return Future.failedFuture(notFound);
        }
        String known = "Extension must be specified and one of " + WebPath.Extension.list() + ".";
        return exported(owner, base.get()).transform(ar ->
                Future.failedFuture(ar.succeeded() ? WispException.badRequest(known) : notFound));
    }

    private Future<Void> serve(RoutingContext ctx, WebPath web, Target target, byte[] body, RouteCall route) {
        // the action with the parameters it inherits from its package and binding
        WhiskAction action = target.resolved().withBoundParameters();
        HttpServerResponse response = ctx.response();
        // a route's preflight is the route's (answered before this); its action gets an OPTIONS it maps
        boolean customOptions = route != null || ActionAnnotations.isTrue(action, "web-custom-options");
        boolean options = ctx.request().method() == HttpMethod.OPTIONS;
        if (route != null && route.cors()) {
            response.putHeader("Access-Control-Allow-Origin", "*");
        }
        if (!customOptions) {
            String asked = ctx.request().getHeader("Access-Control-Request-Headers");
            response.putHeader("Access-Control-Allow-Origin", "*")
                    .putHeader("Access-Control-Allow-Methods", "OPTIONS, GET, DELETE, POST, PUT, HEAD, PATCH")
                    .putHeader("Access-Control-Allow-Headers", asked != null ? asked
                            : "Authorization, Origin, X-Requested-With, Content-Type, Accept, User-Agent");
            if (options) {
                response.setStatusCode(200).end();
                return Future.succeededFuture();
            }
        }
        Future<Optional<String>> user = options ? Future.succeededFuture(Optional.empty()) : authorize(ctx, action);
        return user.compose(u -> {
            ObjectNode args = WebArguments.of(ctx.request(), ctx.queryParams(),
                    route == null ? Map.of() : route.parameters(), body, web.rest(),
                    ActionAnnotations.isTrue(action, "raw-http"), u.orElse(null),
                    ActionAnnotations.finalParameters(action));
            int size = Json.encode(args).length + Json.encode(action.parameters()).length;
            if (size > limits.payloadBytes()) {
                return Future.failedFuture(tooLarge(" with the bound parameters and the request's context ("
                        + size + " bytes)"));
            }
            if (Kinds.SEQUENCE.equals(action.exec().kind())) {
                return sequences.invoke(ApiContext.tid(ctx), target.owner().identity(), target.owner().limits(),
                        target.resolved(), args, true, limits.blockingWait(), null);
            }
            return invocations.invoke(ApiContext.tid(ctx), target.owner().identity(), target.owner().limits(),
                    target.resolved(), args, true, limits.blockingWait(), null);
        }).compose(outcome -> {
            response.putHeader(InvokeApi.ACTIVATION_ID_HEADER, outcome.activationId().value());
            if (!outcome.completed()) {
                ApiContext.json(ctx, 202, Json.object().put("error", "Response not yet ready.")
                        .put("code", ApiContext.tid(ctx).value())
                        .put("activationId", outcome.activationId().value()));
                return Future.succeededFuture();
            }
            reply(web, outcome.activation()).send(response);
            return Future.succeededFuture();
        });
    }

    /** A success answers its result; an application error its {@code error} field; any other failure 400. */
    private static WebResults.Reply reply(WebPath web, Activation activation) {
        ActivationResponse r = activation.response();
        JsonNode result = r.result() == null ? Json.object() : r.result();
        if (r.statusCode() == ActivationResponse.SUCCESS) {
            return WebResults.of(web.extension(), result);
        }
        if (r.statusCode() == ActivationResponse.APPLICATION_ERROR) {
            JsonNode error = result.get("error");
            if (error == null) {
                throw WispException.notFound(WebResults.PROPERTY_NOT_FOUND);
            }
            return WebResults.of(web.extension(), error);
        }
        throw WispException.badRequest(ERROR_PROCESSING);
    }

    /**
     * Checks {@code require-whisk-auth}: {@code true} asks for valid credentials of any subject (whose namespace
     * becomes {@code __ow_user}); a string or number must equal the {@code X-Require-Whisk-Auth} header.
     *
     * @return the authenticated caller's namespace, if any; fails UNAUTHORIZED
     */
    private Future<Optional<String>> authorize(RoutingContext ctx, WhiskAction action) {
        JsonNode required = ActionAnnotations.get(action, "require-whisk-auth");
        if (required == null || required.isNull() || (required.isBoolean() && !required.booleanValue())) {
            return Future.succeededFuture(Optional.empty());
        }
        if (required.isBoolean()) {
            return auth.authenticate(ctx.request().getHeader("Authorization")).compose(caller -> caller.isPresent()
                    ? Future.succeededFuture(Optional.of(caller.get().identity().namespace()))
                    : Future.failedFuture(WispException.unauthorized()));
        }
        String given = ctx.request().getHeader(REQUIRE_AUTH_HEADER);
        String expected = required.isTextual() ? required.textValue()
                : required.isNumber() ? required.decimalValue().toPlainString() : null;
        if (expected != null && given != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
            return Future.succeededFuture(Optional.empty());
        }
        return Future.failedFuture(WispException.unauthorized());
    }

    /**
     * Collects the request body up to {@code limit} bytes; beyond it, fails with PAYLOAD_TOO_LARGE. Called from the
     * route's handler before anything asynchronous, so no chunk can arrive before its handler is set.
     */
    private Future<Buffer> readBody(HttpServerRequest request, long limit) {
        Promise<Buffer> done = Promise.promise();
        Buffer buffer = Buffer.buffer();
        if (request.isEnded()) {
            return Future.succeededFuture(buffer);
        }
        request.handler(chunk -> {
            if (done.future().isComplete()) {
                return;
            }
            if (buffer.length() + chunk.length() > limit) {
                done.tryFail(tooLarge(""));
            } else {
                buffer.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(done::tryFail);
        request.endHandler(v -> done.tryComplete(buffer));
        request.resume();
        return done.future();
    }

    private WispException tooLarge(String size) {
        return WispException.tooLarge("The request content" + size + " exceeds the payload limit of "
                + limits.payloadBytes() + " bytes.");
    }

    private static long parseLength(String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
