package dev.wisp.controller.route;

import dev.wisp.common.entity.EntityPath;
import java.util.Objects;

/**
 * One operation of an API: a verb on a path under the API's base path, served by a web action.
 *
 * @param namespace    the namespace that owns the API (the first segment after {@code /api/})
 * @param basePath     the API's base path, {@code /} or {@code /books}
 * @param path         the path under the base path, with its parameters
 * @param method       the verb, lower case ({@code get})
 * @param action       the web action that serves it
 * @param responseType the web action extension the result is turned into: {@code json}, {@code http},
 *                     {@code html}, {@code text} or {@code svg}
 * @param rateLimit    requests allowed per window for this operation, or null for no limit
 * @param cors         whether answers carry CORS headers and preflights are answered for the action
 */
public record ApiRoute(String namespace, String basePath, RouteTemplate path, String method, EntityPath action,
                       String responseType, RateLimit rateLimit, boolean cors) {
    public ApiRoute {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(basePath, "basePath");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(responseType, "responseType");
    }

    /** The operation's path with its base path, e.g. {@code /library/books/{isbn}}. */
    public String fullPath() {
        return basePath.equals("/") ? path.template() : basePath + path.template();
    }

    /** What names this operation for its rate limit: namespace, base path, path and verb. */
    public String key() {
        return namespace + " " + basePath + " " + path.template() + " " + method;
    }
}
