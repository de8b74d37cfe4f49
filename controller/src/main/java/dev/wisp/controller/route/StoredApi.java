package dev.wisp.controller.route;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One API as the store keeps it: per namespace and base path, the swagger document its routes are served from.
 *
 * @param updated epoch milliseconds of the last change
 */
public record StoredApi(String namespace, String basePath, String apiName, JsonNode swagger, long updated) {
    public StoredApi {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(basePath, "basePath");
        Objects.requireNonNull(swagger, "swagger");
    }

    /** Whether a client's {@code basepath} parameter names this API: its base path, or its name (no {@code /}). */
    public boolean named(String basePathOrName) {
        if (basePathOrName == null || basePathOrName.isEmpty()) {
            return true;
        }
        if (basePathOrName.startsWith("/")) {
            return basePath.equals(ApiDocs.basePath(basePathOrName));
        }
        return basePathOrName.equals(swagger.path("info").path("title").asText(apiName));
    }
}
