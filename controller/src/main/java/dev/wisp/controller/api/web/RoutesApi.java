package dev.wisp.controller.api.web;

import dev.wisp.common.entity.Subject;
import dev.wisp.common.error.ErrorKind;
import dev.wisp.common.error.WispException;
import dev.wisp.controller.api.request.ApiContext;
import dev.wisp.controller.route.ApiDocs;
import dev.wisp.controller.route.ApiRoute;
import dev.wisp.controller.route.RouteRates;
import dev.wisp.controller.route.RouteTable;
import dev.wisp.controller.route.StoredApi;
import dev.wisp.controller.store.ApiStore;
import dev.wisp.controller.store.SubjectStore;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves API routes, {@code /api/{namespace}/{basePath}/{path}}, as OpenWhisk's API gateway does: the verb and path
 * pick an operation of one of the namespace's APIs ({@link RouteTable}), whose web action then answers as its web
 * URL would, with the path's parameters among its parameters and the path under the base path as
 * {@code __ow_path}. Before that come the operation's rate limit (429) and, for an API with CORS enabled (the
 * default), the preflight: an {@code OPTIONS} for which the path has no operation is answered here. Unknown paths
 * are 404, a known path with another verb 405, all in the API's JSON error form.
 *
 * <p>Each namespace's table is cached for {@link #CACHE_MILLIS}, and dropped at once when this or (through the
 * invalidation topic) another controller changes the namespace's APIs.
 */
public final class RoutesApi {
    private static final Logger LOG = LoggerFactory.getLogger(RoutesApi.class);
    static final long CACHE_MILLIS = 5_000;
    /** {@code /api/} followed by anything but {@code v1}: the API route paths. */
    public static final String PATH_REGEX = "/api/(?!v1(?:/|$))[^/]+(?:/.*)?";

    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final ApiStore store;
    private final SubjectStore subjects;
    private final WebActionsApi web;
    private final RouteRates rates;
    private final Map<String, Cached> tables = new ConcurrentHashMap<>();
    /** Bumped by every eviction, so that a table read before one is not cached after it. */
    private final AtomicLong evictions = new AtomicLong();

    private record Cached(RouteTable table, long at) {
    }

    public RoutesApi(ApiStore store, SubjectStore subjects, WebActionsApi web, RouteRates rates) {
        this.store = store;
        this.subjects = subjects;
        this.web = web;
        this.rates = rates;
    }

    public void serve(RoutingContext ctx) {
        ctx.request().pause(); // the web action reads the body once its route is known
        ctx.response().putHeader(ApiContext.REQUEST_ID_HEADER, ApiContext.tid(ctx).value());
        String path = ctx.normalizedPath();
        String rest = path.substring("/api/".length());
        int slash = rest.indexOf('/');
        String namespace = URLDecoder.decode(slash < 0 ? rest : rest.substring(0, slash), StandardCharsets.UTF_8);
        String relPath = slash < 0 ? "/" : rest.substring(slash);
        List<String> segments = new ArrayList<>();
        for (String s : relPath.split("/")) {
            if (!s.isEmpty()) {
                segments.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        String decoded = "/" + String.join("/", segments);
        table(namespace).onSuccess(table -> dispatch(ctx, namespace, table, decoded)).onFailure(e -> fail(ctx, e));
    }

    /**
     * Answers without the action: the body, paused until now, is read and dropped, so the connection (the
     * gateway's, which it reuses) is free for the next request.
     */
    private static void fail(RoutingContext ctx, Throwable e) {
        drop(ctx);
        ctx.fail(e);
    }

    private static void drop(RoutingContext ctx) {
        if (!ctx.request().isEnded()) {
            ctx.request().handler(chunk -> { });
            ctx.request().resume();
        }
    }

    private void dispatch(RoutingContext ctx, String namespace, RouteTable table, String path) {
        HttpMethod method = ctx.request().method();
        RouteTable.Lookup found = table.find(method.name(), path);
        switch (found) {
            case RouteTable.NotFound n -> fail(ctx, WispException.notFound("The API route " + ApiContext.shorten(
                    "/api/" + namespace + path) + " does not exist."));
            case RouteTable.WrongMethod w -> wrongMethod(ctx, method, w);
            case RouteTable.Found f -> {
                ApiRoute route = f.route();
                if (route.cors()) {
                    ctx.response().putHeader("Access-Control-Allow-Origin", "*");
                }
                try {
                    rates.admit(route, System.currentTimeMillis());
                } catch (WispException e) {
                    ctx.response().putHeader("Retry-After", "1");
                    fail(ctx, e);
                    return;
                }
                WebPath.Extension extension = WebPath.Extension.valueOf(route.responseType().toUpperCase(Locale.ROOT));
                web.serveRoute(ctx, route.action(), extension, f.relPath(),
                        new WebActionsApi.RouteCall(f.parameters(), route.cors()));
            }
        }
    }

    private static void wrongMethod(RoutingContext ctx, HttpMethod method, RouteTable.WrongMethod w) {
        TreeSet<String> allowed = new TreeSet<>(w.allowed());
        if (w.cors()) {
            allowed.add("OPTIONS");
        }
        if (w.cors()) {
            ctx.response().putHeader("Access-Control-Allow-Origin", "*");
        }
        if (method == HttpMethod.OPTIONS && w.cors()) {
            drop(ctx);
            String asked = ctx.request().getHeader("Access-Control-Request-Headers");
            ctx.response().setStatusCode(200)
                    .putHeader("Access-Control-Allow-Methods", String.join(", ", allowed))
                    .putHeader("Access-Control-Allow-Headers", asked != null ? asked
                            : "Authorization, Origin, X-Requested-With, Content-Type, Accept, User-Agent")
                    .putHeader("Allow", String.join(", ", allowed))
                    .end();
            return;
        }
        ctx.response().putHeader("Allow", String.join(", ", allowed));
        fail(ctx, new WispException(ErrorKind.METHOD_NOT_ALLOWED, "The API route does not serve " + method.name()
                + "; it serves " + String.join(", ", allowed) + "."));
    }

    /**
     * The operations of the namespace the URL names, from the cache while fresh. A URL may name it by the uuid of
     * its key, as OpenWhisk's gateway URLs do (they carry the key's uuid as their tenant).
     */
    private Future<RouteTable> table(String named) {
        Cached c = tables.get(named);
        long now = System.currentTimeMillis();
        if (c != null && now - c.at() < CACHE_MILLIS) {
            return Future.succeededFuture(c.table());
        }
        long generation = evictions.get();
        Future<String> namespace = UUID.matcher(named).matches()
                ? subjects.findByUuid(named).map(subject -> subject.flatMap(sub -> sub.namespaces().stream()
                        .filter(ns -> ns.uuid().equals(named)).findFirst()).map(Subject.NamespaceKey::name).orElse(named))
                : Future.succeededFuture(named);
        return namespace.compose(ns -> load(ns)).map(table -> {
            if (evictions.get() == generation) {
                if (tables.size() > 10_000) {
                    tables.clear();
                }
                tables.put(named, new Cached(table, now));
            }
            return table;
        });
    }

    private Future<RouteTable> load(String namespace) {
        return store.list(namespace).map(apis -> {
            List<ApiRoute> routes = new ArrayList<>();
            for (StoredApi api : apis) {
                try {
                    routes.addAll(ApiDocs.routes(namespace, api.swagger()));
                } catch (WispException e) {
                    // stored by an older version with other rules: serve the rest of the namespace's APIs
                    LOG.warn("the API {} of {} cannot be served: {}", api.basePath(), namespace, e.getMessage());
                }
            }
            return new RouteTable(routes);
        });
    }

    /** Forgets a namespace's table after a change to its APIs (a table cached under its uuid with it). */
    public void evict(String namespace) {
        evictions.incrementAndGet();
        tables.remove(namespace);
        tables.entrySet().removeIf(e -> e.getValue().table().routes().stream()
                .anyMatch(r -> r.namespace().equals(namespace)));
    }
}
