package dev.wisp.controller.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.error.WispException;
import dev.wisp.controller.api.resource.ActionAnnotations;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The arguments a web action receives, as OpenWhisk builds them: {@code __ow_method}, {@code __ow_headers},
 * {@code __ow_path} (and {@code __ow_user} for an authenticated caller), then the query parameters, then the
 * body's (a JSON object's fields or a form's); any other body arrives as {@code __ow_body}, a string, base64 for
 * binary content. A {@code raw-http} action gets the query string as {@code __ow_query} and the body as
 * {@code __ow_body} instead. The action's bound parameters go under all of these when it is invoked.
 */
public final class WebArguments {
    static final String METHOD = "__ow_method";
    static final String HEADERS = "__ow_headers";
    private static final Set<String> WITHHELD = Set.of("authorization", "proxy-authorization",
            "x-require-whisk-auth");
    static final String PATH = "__ow_path";
    static final String USER = "__ow_user";
    static final String QUERY = "__ow_query";
    static final String BODY = "__ow_body";
    static final Set<String> RESERVED = Set.of(METHOD, HEADERS, PATH, USER, QUERY, BODY);

    private WebArguments() {
    }

    /**
     * @param query     the decoded query parameters
     * @param route     an API route's path parameters, over the query's and under the body's
     * @param path      the rest of the URL after the action and its extension
     * @param user      the authenticated caller's namespace, or null
     * @param immutable the names of parameters the request may not set (the {@code final} ones)
     * @throws WispException BAD_REQUEST for a malformed JSON body, or a parameter that is reserved or final
     */
    static ObjectNode of(HttpServerRequest request, MultiMap query, Map<String, String> route, byte[] body,
                         String path, boolean raw, String user, Set<String> immutable) {
        ObjectNode args = Json.object();
        args.put(METHOD, request.method().name().toLowerCase(Locale.ROOT));
        args.set(HEADERS, headers(request));
        args.put(PATH, path);
        if (user != null) {
            args.put(USER, user);
        }
        String mediaType = MediaTypes.of(request.getHeader("Content-Type"));
        if (raw) {
            route.forEach((name, value) -> {
                if (!RESERVED.contains(name)) {
                    args.put(name, value);
                }
            });
            args.put(QUERY, request.query() == null ? "" : request.query());
            args.set(BODY, body.length == 0 ? Json.mapper().getNodeFactory().textNode("")
                    : opaque(body, mediaType));
            return args;
        }
        Map<String, JsonNode> params = new LinkedHashMap<>();
        query.names().forEach(name -> params.put(name, Json.mapper().getNodeFactory().textNode(query.get(name))));
        route.forEach((name, value) -> params.put(name, Json.mapper().getNodeFactory().textNode(value)));
        if (body.length > 0) {
            if (mediaType != null && MediaTypes.isJson(mediaType)) {
                JsonNode parsed = Json.parseUserJson(body);
                if (parsed.isObject()) {
                    parsed.properties().forEach(e -> params.put(e.getKey(), e.getValue()));
                } else {
                    args.set(BODY, parsed);
                }
            } else if ("application/x-www-form-urlencoded".equals(mediaType)) {
                form(new String(body, StandardCharsets.UTF_8)).forEach((k, v) ->
                        params.put(k, Json.mapper().getNodeFactory().textNode(v)));
            } else {
                args.set(BODY, opaque(body, mediaType));
            }
        }
        for (String name : params.keySet()) {
            if (RESERVED.contains(name) || immutable.contains(name)) {
                throw WispException.badRequest(ActionAnnotations.FINAL_VIOLATION);
            }
        }
        args.setAll(params);
        return args;
    }

    /**
     * The request's headers with lower-case names, repeated headers joined by commas; never the caller's
     * credentials ({@code Authorization}, {@code Proxy-Authorization}, the {@code X-Require-Whisk-Auth} secret) nor
     * Wisp's own {@code X-Wisp-*} headers: an action must not learn what would let it act as its caller.
     */
    private static ObjectNode headers(HttpServerRequest request) {
        ObjectNode headers = Json.object();
        request.headers().names().forEach(name -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!WITHHELD.contains(lower) && !lower.startsWith("x-wisp-")) {
                headers.put(lower, String.join(", ", request.headers().getAll(name)));
            }
        });
        // behind the edge gateway the Host header names the controller; the gateway passes on the caller's
        String forwardedHost = request.getHeader("X-Forwarded-Host");
        if (forwardedHost != null) {
            headers.put("host", forwardedHost);
        }
        return headers;
    }

    /** A body the action gets as it is: a string for text, base64 for binary data and (as OpenWhisk) JSON. */
    private static JsonNode opaque(byte[] body, String mediaType) {
        boolean text = mediaType != null && MediaTypes.isText(mediaType) && !mediaType.equals("application/json");
        String value = text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body);
        return Json.mapper().getNodeFactory().textNode(value);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            fields.putIfAbsent(key, value);
        }
        return fields;
    }
}
