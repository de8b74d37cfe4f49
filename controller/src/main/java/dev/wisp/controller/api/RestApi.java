package dev.wisp.controller.api;

import dev.wisp.common.auth.ActivationKeys;
import dev.wisp.common.codec.Json;
import dev.wisp.common.config.Limits;
import dev.wisp.common.entity.NamespaceLimits;
import dev.wisp.common.error.ErrorKind;
import dev.wisp.common.error.WispException;
import dev.wisp.common.http.HttpErrors;
import dev.wisp.controller.activation.IdempotencyKeys;
import dev.wisp.controller.activation.Invocations;
import dev.wisp.controller.activation.Sequences;
import dev.wisp.controller.api.auth.Authenticator;
import dev.wisp.controller.api.auth.NamespaceOwners;
import dev.wisp.controller.api.request.ApiContext;
import dev.wisp.controller.api.resource.ActionsApi;
import dev.wisp.controller.api.resource.ActivationsApi;
import dev.wisp.controller.api.resource.AlarmFeedApi;
import dev.wisp.controller.api.resource.DeadLettersApi;
import dev.wisp.controller.api.resource.InfoApi;
import dev.wisp.controller.api.resource.InvokeApi;
import dev.wisp.controller.api.resource.LimitsApi;
import dev.wisp.controller.api.resource.PackagesApi;
import dev.wisp.controller.api.resource.RulesApi;
import dev.wisp.controller.api.resource.SequenceChecks;
import dev.wisp.controller.api.resource.TriggersApi;
import dev.wisp.controller.api.web.ApiManagementApi;
import dev.wisp.controller.api.web.RoutesApi;
import dev.wisp.controller.api.web.WebActionsApi;
import dev.wisp.controller.cache.EntityCache;
import dev.wisp.controller.cache.InvalidationMessage;
import dev.wisp.controller.cache.Invalidations;
import dev.wisp.controller.entity.ActionResolver;
import dev.wisp.controller.route.RouteRates;
import dev.wisp.controller.store.ActivationStore;
import dev.wisp.controller.store.ApiStore;
import dev.wisp.controller.store.EntityStore;
import dev.wisp.controller.store.PackageStore;
import dev.wisp.controller.store.SubjectStore;
import dev.wisp.controller.store.TriggerStore;
import dev.wisp.controller.throttle.FireThrottle;
import dev.wisp.controller.trigger.TriggerFires;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Objects;

/**
 * The controller's HTTP routes: OpenWhisk's REST API v1 under {@code /api/v1}, the info document at {@code /}, plus
 * {@code /ping}.
 */
public final class RestApi {
    private static final String NS = "/api/v1/namespaces/:ns";

    private RestApi() {
    }

    /** What the API handlers use. */
    public record Services(Limits limits, NamespaceLimits throttles, SubjectStore subjects, EntityStore entities,
                           EntityCache<EntityStore.Stored> cache, Invalidations invalidations,
                           ActivationStore activations, Invocations invocations, PackageStore packages,
                           EntityCache<PackageStore.Stored> packageCache, Triggers triggers,
                           Sequences sequences, ActivationKeys activationKeys, Routes routes) {
        public Services {
            Objects.requireNonNull(routes, "routes");
            Objects.requireNonNull(activationKeys, "activationKeys");
            Objects.requireNonNull(sequences, "sequences");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(throttles, "throttles");
            Objects.requireNonNull(subjects, "subjects");
            Objects.requireNonNull(entities, "entities");
            Objects.requireNonNull(cache, "cache");
            Objects.requireNonNull(invalidations, "invalidations");
            Objects.requireNonNull(activations, "activations");
            Objects.requireNonNull(invocations, "invocations");
            Objects.requireNonNull(packages, "packages");
            Objects.requireNonNull(packageCache, "packageCache");
            Objects.requireNonNull(triggers, "triggers");
        }
    }

    /** What the trigger and rule handlers use. */
    public record Triggers(TriggerStore store, TriggerFires fires, FireThrottle throttle, IdempotencyKeys keys) {
        public Triggers {
            Objects.requireNonNull(keys, "keys");
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(fires, "fires");
            Objects.requireNonNull(throttle, "throttle");
        }
    }

    /** What the API route handlers use: where APIs are stored, and their rate limits. */
    public record Routes(ApiStore store, RouteRates rates) {
        public Routes {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(rates, "rates");
        }
    }

    public static Router router(Vertx vertx, Services s) {
        long bodyLimit = s.limits().codeBytes() * 4L / 3 + 1_048_576; // base64 code plus the rest of the action
        Router router = Router.router(vertx);
        ApiErrors errors = new ApiErrors(bodyLimit);
        Authenticator auth = new Authenticator(s.subjects(), s.throttles(), s.activationKeys());
        NamespaceOwners owners = new NamespaceOwners(s.subjects(), s.throttles());
        WebActionsApi web = new WebActionsApi(resolver(s), s.invocations(), s.sequences(), s.limits(), owners, auth);
        RoutesApi routes = new RoutesApi(s.routes().store(), s.subjects(), web, s.routes().rates());
        ApiManagementApi apiManagement = new ApiManagementApi(s.routes().store(), web, namespace -> {
            routes.evict(namespace);
            s.invalidations().announce(InvalidationMessage.apisKey(namespace));
        });
        s.invalidations().addListener(key -> {
            String apis = InvalidationMessage.namespaceOfApis(key);
            if (apis != null) {
                routes.evict(apis);
            }
            String uuid = InvalidationMessage.uuidOf(key);
            if (uuid != null) {
                auth.evict(uuid);
                owners.clear();
            }
        });
        ActionResolver resolver = resolver(s);
        SequenceChecks sequenceChecks = new SequenceChecks(resolver, s.packages()::actions);
        ActionsApi actions = new ActionsApi(s.entities(), s.packages(), resolver, s.invalidations(), s.limits(),
                sequenceChecks);
        InvokeApi invoke = new InvokeApi(resolver, s.invocations(), s.sequences(), s.limits());
        PackagesApi packages = new PackagesApi(s.packages(), s.entities(), resolver, s.invalidations(),
                sequenceChecks);
        ActivationsApi activations = new ActivationsApi(s.activations());
        DeadLettersApi deadLetters = new DeadLettersApi(s.activations());
        LimitsApi limits = new LimitsApi(s.limits());
        TriggersApi triggers = new TriggersApi(s.triggers().store(), s.triggers().fires(), s.triggers().throttle(),
                s.limits(), s.triggers().keys());
        RulesApi rules = new RulesApi(s.triggers().store(), resolver);

        router.route("/api/v1/*").handler(ctx -> {
            ctx.response().putHeader(ApiContext.REQUEST_ID_HEADER, ApiContext.tid(ctx).value());
            ctx.next();
        });
        InfoApi info = new InfoApi(s.limits(), s.throttles());
        router.get("/").handler(ctx -> {
            ctx.response().putHeader(ApiContext.REQUEST_ID_HEADER, ApiContext.tid(ctx).value());
            ApiContext.json(ctx, 200, info.info());
        });
        router.get(InfoApi.API_PATH).handler(ctx -> ApiContext.json(ctx, 200, info.apiV1Info()));
        // OpenWhisk's route management, a web action there: the caller's credentials before its body
        String apiManagementPath = ApiManagementApi.PATH + ":op";
        router.route(apiManagementPath).handler(ctx -> {
            ctx.response().putHeader(ApiContext.REQUEST_ID_HEADER, ApiContext.tid(ctx).value())
                    .putHeader("Access-Control-Allow-Origin", "*");
            if (ctx.request().method() == HttpMethod.OPTIONS) { // a browser's preflight carries no credentials
                ctx.response().putHeader("Access-Control-Allow-Methods", "OPTIONS, GET, DELETE, POST")
                        .putHeader("Access-Control-Allow-Headers", "Authorization, Content-Type").end();
                return;
            }
            ctx.request().pause();
            ctx.next();
        });
        router.route(apiManagementPath).handler(auth::handle);
        router.route(apiManagementPath).handler(BodyHandler.create(false).setBodyLimit(s.limits().payloadBytes()));
        router.route(apiManagementPath).handler(apiManagement::handle);
        // web actions read their own bodies (any content type, up to the payload limit) and need no credentials
        router.route("/api/v1/web/*").handler(web::handle);
        // API routes, /api/{namespace}/{basePath}/{path}: web actions by verb and path
        router.routeWithRegex(RoutesApi.PATH_REGEX).handler(routes::serve);
        // credentials first, from the headers: a caller without valid ones gets its 401 before any body is read
        // (the body waits, paused, for the body handler)
        router.route("/api/v1/namespaces*").handler(ctx -> {
            ctx.request().pause();
            ctx.next();
        });
        router.route("/api/v1/namespaces*").handler(auth::handle);
        // only a caller with valid credentials gets its body read: any other /api/v1 path is answered (a 404)
        // without reading one, instead of buffering up to the largest body for a path that does not exist
        router.route("/api/v1/namespaces*").handler(BodyHandler.create(false).setBodyLimit(bodyLimit));

        router.get("/api/v1/namespaces").handler(ctx -> ApiContext.json(ctx, 200,
                Json.mapper().createArrayNode().add(ApiContext.identity(ctx).namespace())));
        router.get(NS + "/limits").handler(limits::get);

        router.post(AlarmFeedApi.PATH).handler(new AlarmFeedApi(s.triggers().store())::invoke);
        router.get(NS + "/actions").handler(actions::list);
        router.get(NS + "/actions/:pkg/").handler(actions::list); // a package's actions, as OpenWhisk lists them
        for (String action : new String[] {NS + "/actions/:name", NS + "/actions/:pkg/:name"}) {
            router.put(action).handler(actions::put);
            router.get(action).handler(actions::get);
            router.delete(action).handler(actions::delete);
            router.post(action).handler(invoke::invoke);
        }

        router.get(NS + "/activations").handler(activations::list);
        router.get(NS + "/activations/:id").handler(activations::get);
        router.get(NS + "/activations/:id/result").handler(activations::result);
        router.get(NS + "/activations/:id/logs").handler(activations::logs);
        router.get(NS + "/deadletters").handler(deadLetters::list);

        router.get(NS + "/triggers").handler(triggers::list);
        router.put(NS + "/triggers/:name").handler(triggers::put);
        router.get(NS + "/triggers/:name").handler(triggers::get);
        router.delete(NS + "/triggers/:name").handler(triggers::delete);
        router.post(NS + "/triggers/:name").handler(triggers::fire);

        router.get(NS + "/rules").handler(rules::list);
        router.put(NS + "/rules/:name").handler(rules::put);
        router.get(NS + "/rules/:name").handler(rules::get);
        router.delete(NS + "/rules/:name").handler(rules::delete);
        router.post(NS + "/rules/:name").handler(rules::setStatus);

        router.get(NS + "/packages").handler(packages::list);
        router.put(NS + "/packages/:name").handler(packages::put);
        router.get(NS + "/packages/:name").handler(packages::get);
        router.delete(NS + "/packages/:name").handler(packages::delete);

        fallback(router, errors);
        return router;
    }

    private static ActionResolver resolver(Services s) {
        return new ActionResolver(s.cache(), s.packageCache());
    }

    /** What no route serves is a 404 (an OPTIONS a 405), and every failure the API's JSON error. */
    static void fallback(Router router, ApiErrors errors) {
        router.route().last().handler(RestApi::unknown);
        router.route().failureHandler(errors::handle);
    }

    /**
     * Serves the API: a request the HTTP decoder cannot read, or whose path has a malformed {@code %} escape,
     * never reaches the router and is answered with the same JSON error as any other (see {@link HttpErrors}).
     */
    public static Future<HttpServer> serve(Vertx vertx, HttpServerOptions options, Router router) {
        return vertx.createHttpServer(options).requestHandler(HttpErrors.guard(router))
                .invalidRequestHandler(HttpErrors::invalid).listen();
    }

    private static void unknown(RoutingContext ctx) {
        ctx.fail(ctx.request().method() == HttpMethod.OPTIONS
                ? new WispException(ErrorKind.METHOD_NOT_ALLOWED, "The requested method is not allowed.")
                : WispException.notFound("The requested resource does not exist."));
    }
}
