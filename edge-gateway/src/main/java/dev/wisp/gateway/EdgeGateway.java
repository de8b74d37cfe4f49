package dev.wisp.gateway;

import dev.wisp.common.http.HttpErrors;
import dev.wisp.common.zookeeper.Membership;
import dev.wisp.common.zookeeper.Zk;
import dev.wisp.common.zookeeper.ZkPaths;
import dev.wisp.gateway.console.Console;
import dev.wisp.gateway.defence.ConnectionGuard;
import dev.wisp.gateway.defence.RequestRates;
import dev.wisp.gateway.routing.ApiProxy;
import dev.wisp.gateway.routing.ControllerSet;
import dev.wisp.gateway.routing.GatewayErrors;
import dev.wisp.gateway.routing.GatewayMetrics;
import dev.wisp.gateway.routing.HealthChecker;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.Objects;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public entry: routes {@code /api/v1/...}, API routes {@code /api/{namespace}/...} (and the operators'
 * {@code /admin/...}) to live controllers, answers CORS preflights (except for web actions and API routes, whose
 * controller answers them), and serves the web console at {@code /console/}.
 */
public final class EdgeGateway extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeGateway.class);

    private final GatewayConfig config;
    private final ControllerSet controllers = new ControllerSet();
    private CuratorFramework zk;
    private CuratorCache watch;
    private ApiProxy proxy;
    private HealthChecker health;
    private HttpServer server;
    private HttpServer actionsServer;
    private ConnectionGuard guard;
    private long sweeper = -1;

    public EdgeGateway(GatewayConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Whether the gateway knows a live, answering controller to route to. */
    public boolean routes() {
        return !controllers.healthy().isEmpty();
    }

    public int port() {
        return server.actualPort();
    }

    /** Whether the public listener speaks HTTPS. */
    public boolean https() {
        return config.tls();
    }

    /** The port of the listener for action containers, or -1 without one. */
    public int actionsPort() {
        return actionsServer == null ? -1 : actionsServer.actualPort();
    }

    @Override
    public Future<?> start() {
        return vertx.executeBlocking(() -> {
            zk = Zk.connect(config.zookeeper(), Duration.ofSeconds(30));
            watch = Membership.watch(zk, ZkPaths.CONTROLLERS_LIVE, controllers::update);
            return null;
        }, false).compose(v -> {
            health = new HealthChecker(vertx, controllers, Duration.ofMillis(250));
            health.start();
            guard = new ConnectionGuard(vertx, config.limits());
            RequestRates rates = new RequestRates(config.limits());
            sweeper = vertx.setPeriodic(10_000, t -> rates.sweep(System.nanoTime()));
            GatewayMetrics metrics = new GatewayMetrics(controllers, guard);
            proxy = new ApiProxy(vertx, controllers, health, metrics, config.maxBodyBytes(), config.limits(), rates);
            Router router = Router.router(vertx);
            router.get("/ping").handler(ctx -> ctx.response().end("pong"));
            router.get("/metrics").handler(ctx -> ctx.response()
                    .putHeader("Content-Type", "text/plain; version=0.0.4").end(metrics.render()));
            // the web console's page and script; it calls the API below from the browser
            Console.install(router);
            // a web action answers its own OPTIONS (default CORS, or the action itself with web-custom-options)
            router.route("/api/v1/web/*").handler(ctx -> proxy.handle(ctx.request()));
            // so does an API route, /api/{namespace}/{basePath}/{path}, with the CORS its API configures
            router.routeWithRegex(ApiProxy.API_ROUTE).handler(ctx -> proxy.handle(ctx.request()));
            router.route().method(HttpMethod.OPTIONS).handler(ctx -> ctx.response()
                    .putHeader("Access-Control-Allow-Origin", "*")
                    .putHeader("Access-Control-Allow-Methods", "GET, PUT, POST, DELETE, PATCH, OPTIONS")
                    .putHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-ID, Idempotency-Key")
                    .end());
            router.route("/api/*").handler(ctx -> proxy.handle(ctx.request()));
            // the controllers' info document (runtimes, limits), which clients such as Adobe's aio CLI read
            router.get("/").handler(ctx -> proxy.handle(ctx.request()));
            // The operators' fleet API; the controllers check its admin token.
            router.route("/admin/*").handler(ctx -> proxy.handle(ctx.request()));
            router.route().handler(ctx -> HttpErrors.answer(ctx.request(), 404,
                    "The requested resource does not exist.", null));
            router.route().failureHandler(GatewayErrors::failed);
            return listen(router, config.host(), config.port(), config.tls()).compose(s -> {
                server = s;
                LOG.info("edge gateway listening on {}://{}:{}", config.tls() ? "https" : "http", config.host(),
                        s.actualPort());
                if (config.actionsHost() == null) {
                    return Future.succeededFuture();
                }
                // the same port where it is free there, so that actions see the address users see but the host
                // plain HTTP: it is reachable only from the action network, and runtimes trust no private CA
                return listen(router, config.actionsHost(), s.actualPort(), false)
                        .recover(e -> listen(router, config.actionsHost(), 0, false))
                        .onSuccess(a -> {
                            actionsServer = a;
                            LOG.info("edge gateway listening for action containers on {}:{}", config.actionsHost(),
                                    a.actualPort());
                        });
            });
        });
    }

    private Future<HttpServer> listen(Router router, String host, int port, boolean tls) {
        // HTTP/1.1 only: clients that offer an h2c upgrade on plain http (the JDK's HttpClient does by default)
        // stay on HTTP/1.1; relaying multiplexed HTTP/2 streams lost answers under load (ScalingIT's first runs)
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
                .setCompressionSupported(false).setHttp2ClearTextEnabled(false)
                // a backstop for connections no deadline covers (a client that stops reading its answer); longer
                // than a blocking invoke's wait for its controller, during which the connection is rightly quiet
                .setIdleTimeout((int) (ApiProxy.CONTROLLER_IDLE_MILLIS / 1000 + 30));
        if (tls) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(config.tlsCert().toString()).setKeyPath(config.tlsKey().toString()));
        }
        return vertx.createHttpServer(options)
                .connectionHandler(guard::connected)
                .requestHandler(guard.guard(HttpErrors.guard(router)))
                .invalidRequestHandler(HttpErrors::invalid).listen();
    }

    @Override
    public Future<?> stop() {
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
        }
        Future<Void> closed = Future.all(server == null ? Future.succeededFuture() : server.close(),
                actionsServer == null ? Future.succeededFuture() : actionsServer.close()).mapEmpty();
        return closed.compose(v -> vertx.executeBlocking(() -> {
            if (proxy != null) {
                proxy.close();
            }
            if (health != null) {
                health.close();
            }
            if (watch != null) {
                watch.close();
            }
            if (zk != null) {
                zk.close();
            }
            return null;
        }, false));
    }
}
