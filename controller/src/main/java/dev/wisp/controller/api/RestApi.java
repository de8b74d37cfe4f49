package dev.wisp.controller.api;

import dev.wisp.common.codec.Json;
import dev.wisp.common.config.Limits;
import dev.wisp.common.error.ErrorKind;
import dev.wisp.common.error.WispException;
import dev.wisp.controller.activation.Invocations;
import dev.wisp.controller.store.ActivationStore;
import dev.wisp.controller.store.EntityStore;
import dev.wisp.controller.store.SubjectStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/** The controller's HTTP routes: OpenWhisk's REST API v1 under {@code /api/v1}, plus {@code /ping}. */
public final class RestApi {
    private RestApi() {
    }

    public static Router router(Vertx vertx, Limits limits, SubjectStore subjects, EntityStore entities,
                                ActivationStore activations, Invocations invocations) {
        long bodyLimit = limits.codeBytes() * 4L / 3 + 1_048_576; // base64 code plus the rest of the action
        Router router = Router.router(vertx);
        ApiErrors errors = new ApiErrors(bodyLimit);
        Authenticator auth = new Authenticator(subjects);
        ActionsApi actions = new ActionsApi(entities, invocations, limits);
        ActivationsApi activationsApi = new ActivationsApi(activations);

        router.get("/ping").handler(ctx -> ctx.response().end("pong"));
        router.route("/api/v1/*").handler(ctx -> {
            ctx.response().putHeader(ApiContext.REQUEST_ID_HEADER, ApiContext.tid(ctx).value());
            ctx.next();
        });
        router.get("/api/v1").handler(ctx -> ApiContext.json(ctx, 200, Json.object()
                .put("description", "Wisp, an OpenWhisk-compatible serverless platform")
                .put("api_version", "1.0.0")
                .set("api_paths", Json.mapper().createArrayNode().add("/api/v1"))));
        router.route("/api/v1/*").handler(BodyHandler.create(false).setBodyLimit(bodyLimit));
        router.route("/api/v1/namespaces*").handler(auth::handle);

        router.get("/api/v1/namespaces").handler(ctx -> ApiContext.json(ctx, 200,
                Json.mapper().createArrayNode().add(ApiContext.identity(ctx).namespace())));
        router.put("/api/v1/namespaces/:ns/actions/:name").handler(actions::put);
        router.get("/api/v1/namespaces/:ns/actions/:name").handler(actions::get);
        router.delete("/api/v1/namespaces/:ns/actions/:name").handler(actions::delete);
        router.post("/api/v1/namespaces/:ns/actions/:name").handler(actions::invoke);
        router.get("/api/v1/namespaces/:ns/activations/:id").handler(activationsApi::get);
        router.get("/api/v1/namespaces/:ns/activations/:id/result").handler(activationsApi::result);
        router.get("/api/v1/namespaces/:ns/activations/:id/logs").handler(activationsApi::logs);

        router.route().last().handler(RestApi::unknown);
        router.route().failureHandler(errors::handle);
        return router;
    }

    private static void unknown(RoutingContext ctx) {
        ctx.fail(ctx.request().method() == HttpMethod.OPTIONS
                ? new WispException(ErrorKind.METHOD_NOT_ALLOWED, "The requested method is not allowed.")
                : WispException.notFound("The requested resource does not exist."));
    }
}
