package dev.wisp.controller.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.error.ErrorKind;
import dev.wisp.common.error.WispException;
import dev.wisp.controller.api.request.ApiContext;
import dev.wisp.controller.api.request.ListParams;
import dev.wisp.controller.api.request.UserJson;
import dev.wisp.controller.route.ApiDocs;
import dev.wisp.controller.route.ApiRoute;
import dev.wisp.controller.route.StoredApi;
import dev.wisp.controller.store.ApiStore;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * OpenWhisk's route management, {@code /api/v1/web/whisk.system/apimgmt/{createApi,getApi,deleteApi}[.http]}, as
 * {@code wsk api} and the npm client's {@code routes} call it, with the caller's credentials: the caller's
 * namespace owns the APIs it creates, lists and deletes, and no other. An API is a swagger document stored per
 * namespace and base path ({@link ApiStore}); the answers are OpenWhisk's: a created API as {@code {namespace,
 * gwApiActivated, tenantId, gwApiUrl, apidoc}}, a list as {@code {"apis": [{id, key, value: <the same>}]}}, a
 * delete as {@code {}}.
 */
public final class ApiManagementApi {
    public static final String PATH = "/api/v1/web/whisk.system/apimgmt/";
    private static final int WRITE_ATTEMPTS = 5;

    private final ApiStore store;
    private final WebActionsApi web;
    private final Consumer<String> changed;

    /** @param changed told the namespace whose APIs changed, once the store has the change */
    public ApiManagementApi(ApiStore store, WebActionsApi web, Consumer<String> changed) {
        this.store = store;
        this.web = web;
        this.changed = changed;
    }

    public void handle(RoutingContext ctx) {
        String op = ctx.pathParam("op");
        int dot = op.indexOf('.');
        String name = dot < 0 ? op : op.substring(0, dot);
        switch (name) {
            case "createApi" -> create(ctx);
            case "getApi" -> get(ctx);
            case "deleteApi" -> delete(ctx);
            default -> throw WispException.notFound("The requested resource does not exist.");
        }
    }

    private void create(RoutingContext ctx) {
        String caller = ApiContext.identity(ctx).namespace();
        JsonNode apidoc = apidoc(ctx);
        String apiNs = apidoc.path("namespace").asText("");
        if (apiNs.isEmpty()) {
            throw WispException.badRequest("apidoc is missing the namespace field.");
        }
        requireOwn(apiNs, caller);
        String type = Optional.ofNullable(ctx.queryParams().get("responsetype")).orElse(ApiDocs.DEFAULT_RESPONSE_TYPE)
                .toLowerCase(Locale.ROOT);
        if (!ApiDocs.RESPONSE_TYPES.contains(type)) {
            throw WispException.badRequest("The response type '" + ApiContext.shorten(type) + "' is not one of "
                    + ApiDocs.RESPONSE_TYPES + ".");
        }
        JsonNode swagger = apidoc.get("swagger");
        Future<ObjectNode> written;
        if (swagger != null && !swagger.isNull()) {
            if (apidoc.has("gatewayBasePath")) {
                throw WispException.badRequest(
                        "swagger and gatewayBasePath are mutually exclusive and cannot be specified together.");
            }
            written = replace(caller, parse(swagger, "swagger"));
        } else {
            ApiDocs.Endpoint endpoint = ApiDocs.endpoint(apidoc, caller);
            written = web.requireExported(endpoint.action())
                    .compose(v -> addEndpoint(caller, endpoint, type, webBase(ctx), 1));
        }
        // as OpenWhisk's createApi: the API's "value" alone, where getApi lists {id, key, value}
        written.onSuccess(s -> ApiContext.json(ctx, 200,
                        ApiDocs.cliApi(caller, s, gatewayUrl(ctx, caller, s)).get("value")))
                .onFailure(ctx::fail);
    }

    /** A whole swagger document becomes the API at its base path, replacing what was there. */
    private Future<ObjectNode> replace(String caller, JsonNode given) {
        if (!given.isObject()) {
            throw WispException.badRequest("swagger field should be an object or a JSON string.");
        }
        ObjectNode swagger = (ObjectNode) given.deepCopy();
        List<ApiRoute> routes = ApiDocs.routes(caller, swagger);
        String basePath = ApiDocs.basePath(swagger.get("basePath").textValue());
        swagger.put("basePath", basePath);
        Future<Void> exported = Future.all(routes.stream().map(ApiRoute::action).distinct()
                .map(web::requireExported).toList()).mapEmpty();
        return exported.compose(v -> store.get(caller, basePath)).compose(existing -> store.put(
                new StoredApi(caller, basePath, swagger.path("info").path("title").asText(basePath), swagger,
                        System.currentTimeMillis()), existing.map(ApiStore.Stored::revision).orElse(null)))
                .map(rev -> {
                    changed.accept(caller);
                    return swagger;
                });
    }

    /** Adds one operation to the API at its base path (a new API when there is none), retrying a lost race. */
    private Future<ObjectNode> addEndpoint(String caller, ApiDocs.Endpoint e, String type, String webBase,
                                           int attempt) {
        return store.get(caller, e.basePath()).compose(existing -> {
            ObjectNode swagger = existing.map(s -> (ObjectNode) s.api().swagger().deepCopy())
                    .orElseGet(() -> ApiDocs.base(e.basePath(), e.apiName()));
            ApiDocs.addEndpoint(swagger, e, type, webBase);
            ApiDocs.routes(caller, swagger);
            String name = swagger.path("info").path("title").asText(e.basePath());
            return store.put(new StoredApi(caller, e.basePath(), name, swagger, System.currentTimeMillis()),
                    existing.map(ApiStore.Stored::revision).orElse(null)).map(rev -> swagger);
        }).recover(err -> conflict(err) && attempt < WRITE_ATTEMPTS
                ? addEndpoint(caller, e, type, webBase, attempt + 1) : Future.<ObjectNode>failedFuture(err))
                .onSuccess(s -> changed.accept(caller));
    }

    private void get(RoutingContext ctx) {
        String caller = queriedNamespace(ctx);
        String basePath = ctx.queryParams().get("basepath");
        ListParams page = ListParams.of(ctx, "apis");
        store.list(caller).onSuccess(apis -> {
            ArrayNode list = Json.mapper().createArrayNode();
            apis.stream().filter(a -> a.named(basePath)).skip(page.skip()).limit(page.limit())
                    .forEach(a -> list.add(ApiDocs.cliApi(caller, a.swagger(), gatewayUrl(ctx, caller, a.swagger()))));
            ObjectNode answer = Json.object();
            answer.set("apis", list);
            ApiContext.json(ctx, 200, answer);
        }).onFailure(ctx::fail);
    }

    private void delete(RoutingContext ctx) {
        String caller = queriedNamespace(ctx);
        String basePath = ctx.queryParams().get("basepath");
        String relPath = ctx.queryParams().get("relpath");
        String operation = ctx.queryParams().get("operation");
        if (basePath == null || basePath.isEmpty()) {
            throw WispException.badRequest("basepath is required.");
        }
        if ((relPath == null || relPath.isEmpty()) && operation != null && !operation.isEmpty()) {
            throw WispException.badRequest("When specifying an operation, the path is required.");
        }
        remove(caller, basePath, relPath, operation, 1)
                .onSuccess(v -> ApiContext.json(ctx, 200, Json.object()))
                .onFailure(ctx::fail);
    }

    private Future<Void> remove(String caller, String basePath, String relPath, String operation, int attempt) {
        return store.list(caller).compose(apis -> {
            StoredApi api = apis.stream().filter(a -> a.named(basePath)).findFirst().orElseThrow(() ->
                    WispException.notFound("API '" + ApiContext.shorten(basePath) + "' does not exist."));
            return store.get(caller, api.basePath()).compose(found -> {
                ApiStore.Stored stored = found.orElseThrow(() ->
                        WispException.notFound("API '" + ApiContext.shorten(basePath) + "' does not exist."));
                if (relPath == null || relPath.isEmpty()) {
                    return store.delete(caller, api.basePath(), stored.revision());
                }
                ObjectNode swagger = (ObjectNode) stored.api().swagger().deepCopy();
                ApiDocs.removeEndpoint(swagger, relPath, operation);
                if (swagger.path("paths").isEmpty()) {
                    return store.delete(caller, api.basePath(), stored.revision());
                }
                return store.put(new StoredApi(caller, api.basePath(), stored.api().apiName(), swagger,
                        System.currentTimeMillis()), stored.revision()).mapEmpty();
            });
        }).recover(err -> conflict(err) && attempt < WRITE_ATTEMPTS
                ? remove(caller, basePath, relPath, operation, attempt + 1) : Future.<Void>failedFuture(err))
                .onSuccess(v -> changed.accept(caller));
    }

    /** The request's {@code apidoc}: a JSON object, or a string holding one, as OpenWhisk accepts. */
    private static JsonNode apidoc(RoutingContext ctx) {
        byte[] body = ApiContext.body(ctx);
        ObjectNode params = body.length == 0 ? Json.object() : UserJson.object(body);
        JsonNode apidoc = params.get("apidoc");
        if (apidoc == null && ctx.queryParams().get("apidoc") != null) {
            apidoc = Json.mapper().getNodeFactory().textNode(ctx.queryParams().get("apidoc"));
        }
        if (apidoc == null || apidoc.isNull()) {
            throw WispException.badRequest("apidoc is required.");
        }
        JsonNode doc = parse(apidoc, "apidoc");
        if (!doc.isObject()) {
            throw WispException.badRequest("apidoc field is of type " + doc.getNodeType().name().toLowerCase(Locale.ROOT)
                    + " and should be a JSON object or a JSON string.");
        }
        return doc;
    }

    private static JsonNode parse(JsonNode node, String field) {
        if (!node.isTextual()) {
            return node;
        }
        try {
            return Json.parseUserJson(node.textValue().getBytes(StandardCharsets.UTF_8));
        } catch (WispException e) {
            throw WispException.badRequest(field + " field cannot be parsed. Ensure it is valid JSON.");
        }
    }

    /** The caller's namespace, which the {@code namespace} query parameter, when given, must name. */
    private static String queriedNamespace(RoutingContext ctx) {
        String caller = ApiContext.identity(ctx).namespace();
        String ns = ctx.queryParams().get("namespace");
        if (ns != null && !ns.isEmpty()) {
            requireOwn(ns, caller);
        }
        return caller;
    }

    private static void requireOwn(String namespace, String caller) {
        if (!namespace.equals("_") && !namespace.equals(caller)) {
            throw WispException.forbidden("The supplied authentication is not authorized to access '"
                    + ApiContext.shorten(namespace) + "'.");
        }
    }

    private static boolean conflict(Throwable e) {
        return e instanceof WispException w && w.kind() == ErrorKind.CONFLICT;
    }

    /** The URL of the API as the caller reaches the gateway: {@code http://host/api/{namespace}{basePath}}. */
    static String gatewayUrl(RoutingContext ctx, String namespace, JsonNode swagger) {
        String basePath = swagger.path("basePath").asText("/");
        return origin(ctx) + "/api/" + namespace + (basePath.equals("/") ? "" : basePath);
    }

    private static String webBase(RoutingContext ctx) {
        return origin(ctx) + "/api/v1/web";
    }

    private static String origin(RoutingContext ctx) {
        String host = ctx.request().getHeader("X-Forwarded-Host");
        if (host == null) {
            host = ctx.request().authority() == null ? "localhost" : ctx.request().authority().toString();
        }
        String proto = ctx.request().getHeader("X-Forwarded-Proto");
        return (proto != null ? proto : ctx.request().scheme() == null ? "http" : ctx.request().scheme()) + "://" + host;
    }
}
