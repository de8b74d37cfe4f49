package dev.wisp.common.entity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wisp.common.codec.Json;

/**
 * The outcome of an activation, with OpenWhisk's four statuses: 0 success, 1 application error (the action
 * returned an error), 2 action developer error (crash, bad init, timeout), 3 whisk internal error.
 */
public record ActivationResponse(String status, int statusCode, boolean success, JsonNode result, Integer size) {
    public static final int SUCCESS = 0;
    public static final int APPLICATION_ERROR = 1;
    public static final int DEVELOPER_ERROR = 2;
    public static final int SYSTEM_ERROR = 3;

    public static ActivationResponse success(JsonNode result) {
        return new ActivationResponse("success", SUCCESS, true, result, sizeOf(result));
    }

    public static ActivationResponse applicationError(JsonNode result) {
        return new ActivationResponse("application error", APPLICATION_ERROR, false, result, sizeOf(result));
    }

    public static ActivationResponse developerError(String message) {
        return of(DEVELOPER_ERROR, message);
    }

    public static ActivationResponse systemError(String message) {
        return of(SYSTEM_ERROR, message);
    }

    private static ActivationResponse of(int code, String message) {
        JsonNode result = Json.object().put("error", message);
        String status = code == DEVELOPER_ERROR ? "action developer error" : "whisk internal error";
        return new ActivationResponse(status, code, false, result, sizeOf(result));
    }

    private static Integer sizeOf(JsonNode result) {
        return result == null ? null : Json.encode(result).length;
    }
}
