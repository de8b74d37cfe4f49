package dev.wisp.controller.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.EntityName;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.error.WispException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * APIs as OpenWhisk's route management stores and returns them: swagger 2.0 documents whose operations carry
 * {@code x-openwhisk} ({@code namespace}, {@code package}, {@code action}, {@code url} of the web action), built
 * one endpoint at a time from the {@code apidoc} a client sends, or given whole. Wisp reads two of IBM's gateway
 * extensions from them: {@code x-ibm-configuration.cors.enabled} (default true) and {@code x-ibm-rate-limit}.
 */
public final class ApiDocs {
    public static final String DEFAULT_RESPONSE_TYPE = "json";
    public static final Set<String> RESPONSE_TYPES = Set.of("json", "http", "html", "text", "svg");
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final Pattern WEB_URL = Pattern.compile("/api/v1/web/([^/]+)/([^/]+)/([^/]+?)\\.(\\w+)");

    private ApiDocs() {
    }

    /** One endpoint of an API, as an {@code apidoc} names it. */
    public record Endpoint(String basePath, String relPath, String method, EntityPath action, String apiName,
                           JsonNode pathParameters) {
    }

    /**
     * Reads an {@code apidoc} without a swagger: {@code gatewayBasePath}, {@code gatewayPath}, {@code gatewayMethod},
     * {@code action} ({@code name}, {@code namespace}) and optionally {@code apiName}. An action namespace of
     * {@code _}, or the one the apidoc's own {@code namespace} names, is the caller's (as OpenWhisk replaces it).
     *
     * @throws WispException BAD_REQUEST naming the first field that is missing or wrong
     */
    public static Endpoint endpoint(JsonNode apidoc, String caller) {
        String basePath = basePath(text(apidoc, "gatewayBasePath", "apidoc is missing the gatewayBasePath field"));
        String relPath = text(apidoc, "gatewayPath", "apidoc is missing the gatewayPath field");
        if (!relPath.startsWith("/")) {
            relPath = "/" + relPath;
        }
        RouteTemplate.parse(relPath);
        String method = text(apidoc, "gatewayMethod", "apidoc is missing the gatewayMethod field")
                .toLowerCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw WispException.badRequest("The operation '" + method + "' is not one of " + METHODS + ".");
        }
        JsonNode action = apidoc.get("action");
        if (action == null || !action.isObject()) {
            throw WispException.badRequest("apidoc is missing the action field.");
        }
        String name = text(action, "name", "action is missing the name field");
        String ns = action.path("namespace").asText("_");
        String apiNs = apidoc.path("namespace").asText("_");
        String own = ns.isEmpty() || ns.equals("_") || ns.equals(apiNs) ? caller : ns;
        String apiName = apidoc.path("apiName").isTextual() ? apidoc.get("apiName").textValue() : null;
        return new Endpoint(basePath, relPath, method, actionPath(own, name), apiName, apidoc.get("pathParameters"));
    }

    /** A base path as stored: starting with {@code /}, without a trailing one ({@code /} alone stays). */
    public static String basePath(String path) {
        List<String> segments = RouteTemplate.split(path);
        for (String s : segments) {
            if (s.indexOf('{') >= 0 || s.indexOf('}') >= 0) {
                throw WispException.badRequest("The base path '" + path + "' cannot have parameters.");
            }
        }
        return "/" + String.join("/", segments);
    }

    /** {@code name}, {@code package/name} or {@code /namespace/package/name}, in {@code namespace}. */
    static EntityPath actionPath(String namespace, String name) {
        String[] parts = (name.startsWith("/") ? name.substring(1) : name).split("/");
        return switch (parts.length) {
            case 1 -> new EntityPath(EntityName.require("namespace", namespace), null,
                    EntityName.require("action", parts[0]));
            case 2 -> new EntityPath(EntityName.require("namespace", namespace), EntityName.require("package", parts[0]),
                    EntityName.require("action", parts[1]));
            case 3 -> new EntityPath(EntityName.require("namespace", parts[0].equals("_") ? namespace : parts[0]),
                    EntityName.require("package", parts[1]), EntityName.require("action", parts[2]));
            default -> throw WispException.badRequest("The action name '" + name + "' is not a valid action name.");
        };
    }

    /** A new API with no paths, as OpenWhisk's route management starts one. */
    public static ObjectNode base(String basePath, String apiName) {
        ObjectNode swagger = Json.object();
        swagger.put("swagger", "2.0");
        swagger.putObject("info").put("title", apiName != null ? apiName : basePath).put("version", "1.0.0");
        swagger.put("basePath", basePath);
        swagger.putObject("paths");
        swagger.putObject("x-ibm-configuration").putObject("cors").put("enabled", true);
        return swagger;
    }

    /**
     * Adds (or replaces) one operation in an API.
     *
     * @param webBase the URL web actions are served under, e.g. {@code http://host:3233/api/v1/web}
     */
    public static void addEndpoint(ObjectNode swagger, Endpoint e, String responseType, String webBase) {
        ObjectNode paths = swagger.withObjectProperty("paths");
        ObjectNode path = paths.withObjectProperty(e.relPath());
        ObjectNode op = Json.object();
        op.put("operationId", e.method() + "_" + e.relPath());
        List<String> names = RouteTemplate.parse(e.relPath()).parameterNames();
        if (e.pathParameters() != null && e.pathParameters().isArray()) {
            op.set("parameters", e.pathParameters());
        } else if (!names.isEmpty()) {
            ArrayNode parameters = op.putArray("parameters");
            names.forEach(n -> parameters.addObject().put("name", n).put("in", "path")
                    .put("description", "Default description for '" + n + "'").put("required", true)
                    .put("type", "string"));
        }
        EntityPath a = e.action();
        op.putObject("x-openwhisk").put("namespace", a.namespace())
                .put("package", a.packageName() == null ? "" : a.packageName())
                .put("action", a.name())
                .put("url", webBase + "/" + a.namespace() + "/" + (a.packageName() == null ? "default" : a.packageName())
                        + "/" + a.name() + "." + responseType);
        op.putObject("responses").putObject("default").put("description", "Default response");
        path.set(e.method(), op);
    }

    /**
     * Removes a path, or one verb of it (and the path with its last verb).
     *
     * @throws WispException NOT_FOUND, OpenWhisk's message, when the API has no such path or verb
     */
    public static void removeEndpoint(ObjectNode swagger, String relPath, String operation) {
        ObjectNode paths = swagger.withObjectProperty("paths");
        String path = relPath.startsWith("/") ? relPath : "/" + relPath;
        if (operation == null || operation.isEmpty()) {
            if (paths.remove(path) == null) {
                throw WispException.notFound("path '" + path + "' does not exist in the API");
            }
            return;
        }
        String op = operation.toLowerCase(Locale.ROOT);
        JsonNode ops = paths.get(path);
        if (ops == null || !ops.has(op)) {
            throw WispException.notFound("path '" + path + "' with operation '" + op + "' does not exist in the API");
        }
        ((ObjectNode) ops).remove(op);
        if (ops.isEmpty()) {
            paths.remove(path);
        }
    }

    /**
     * The operations of an API, checked: each verb of each path must name its action in {@code x-openwhisk}.
     *
     * @throws WispException BAD_REQUEST naming what is missing or wrong
     */
    public static List<ApiRoute> routes(String namespace, JsonNode swagger) {
        if (swagger == null || !swagger.isObject()) {
            throw WispException.badRequest("swagger field should be an object or a JSON string.");
        }
        String basePath = basePath(text(swagger, "basePath", "swagger is missing the basePath field"));
        if (!swagger.path("paths").isObject()) {
            throw WispException.badRequest("swagger is missing the paths field.");
        }
        if (!swagger.path("info").isObject()) {
            throw WispException.badRequest("swagger is missing the info field.");
        }
        boolean cors = swagger.path("x-ibm-configuration").path("cors").path("enabled").asBoolean(true);
        List<ApiRoute> routes = new ArrayList<>();
        swagger.get("paths").properties().forEach(p -> {
            RouteTemplate template = RouteTemplate.parse(p.getKey());
            if (!p.getValue().isObject()) {
                throw WispException.badRequest("The path '" + p.getKey() + "' must be an object of operations.");
            }
            p.getValue().properties().forEach(o -> {
                String method = o.getKey().toLowerCase(Locale.ROOT);
                if (!METHODS.contains(method)) {
                    return; // swagger allows "parameters" and extensions next to the verbs
                }
                JsonNode ow = o.getValue().path("x-openwhisk");
                EntityPath action = action(namespace, ow, method + " " + p.getKey());
                String type = responseType(ow.path("url").asText(""));
                String operationId = o.getValue().path("operationId").asText(method + "_" + p.getKey());
                routes.add(new ApiRoute(namespace, basePath, template, method, action, type,
                        rateLimit(swagger, o.getValue(), operationId), cors));
            });
        });
        return routes;
    }

    private static EntityPath action(String namespace, JsonNode ow, String where) {
        if (!ow.isObject() || !ow.path("action").isTextual()) {
            throw WispException.badRequest("The operation " + where + " has no x-openwhisk action.");
        }
        String ns = ow.path("namespace").asText("_");
        String pkg = ow.path("package").asText("");
        String name = ow.get("action").textValue();
        return actionPath(ns.isEmpty() || ns.equals("_") ? namespace : ns, pkg.isEmpty() || pkg.equals("default")
                ? name : pkg + "/" + name);
    }

    /** The extension of an {@code x-openwhisk} url, {@code json} when it names none OpenWhisk knows. */
    static String responseType(String url) {
        Matcher m = WEB_URL.matcher(url);
        if (m.find() && RESPONSE_TYPES.contains(m.group(4))) {
            return m.group(4);
        }
        return DEFAULT_RESPONSE_TYPE;
    }

    /**
     * The operation's own {@code x-ibm-rate-limit}, else the API's first one that lists the operation's id in its
     * {@code operations} or lists none; each as {@code {"rate": 10, "unit": "minute", "units": 1}} (or a list).
     */
    static RateLimit rateLimit(JsonNode swagger, JsonNode operation, String operationId) {
        List<JsonNode> own = list(operation.get("x-ibm-rate-limit"));
        if (!own.isEmpty()) {
            return parseLimit(own.get(0));
        }
        for (JsonNode limit : list(swagger.get("x-ibm-rate-limit"))) {
            JsonNode ops = limit.get("operations");
            if (ops == null || !ops.isArray() || ops.isEmpty()) {
                return parseLimit(limit);
            }
            for (JsonNode id : ops) {
                if (operationId.equals(id.asText())) {
                    return parseLimit(limit);
                }
            }
        }
        return null;
    }

    private static List<JsonNode> list(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(out::add);
        } else {
            out.add(node);
        }
        return out;
    }

    private static RateLimit parseLimit(JsonNode limit) {
        if (!limit.path("rate").canConvertToInt() || !limit.path("rate").isNumber()) {
            throw WispException.badRequest("x-ibm-rate-limit needs a numeric rate, e.g. "
                    + "{\"rate\": 10, \"unit\": \"minute\", \"units\": 1}.");
        }
        return RateLimit.of(limit.get("rate").intValue(), limit.path("units").asInt(1),
                limit.path("unit").asText("minute"));
    }

    /**
     * An API as OpenWhisk's route management answers for it (its "CLI API" form): {@code id} and {@code key}
     * {@code "Not Used"}, {@code value} with {@code gwApiActivated}, {@code gwApiUrl} and the swagger as
     * {@code apidoc}.
     */
    public static ObjectNode cliApi(String namespace, JsonNode swagger, String gwApiUrl) {
        ObjectNode api = Json.object();
        api.put("id", "API:" + namespace + ":" + swagger.path("basePath").asText());
        api.put("key", namespace);
        ObjectNode value = api.putObject("value");
        value.put("namespace", namespace);
        value.put("gwApiActivated", true);
        value.put("tenantId", namespace);
        value.put("gwApiUrl", gwApiUrl);
        value.set("apidoc", swagger);
        return api;
    }

    private static String text(JsonNode node, String field, String missing) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
            throw WispException.badRequest(missing + ".");
        }
        return v.textValue();
    }
}
