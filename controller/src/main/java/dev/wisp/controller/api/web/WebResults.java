package dev.wisp.controller.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.error.WispException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a web action's result into the HTTP response its extension asks for, with OpenWhisk's rules and
 * messages: {@code .json} the result itself, {@code .html}/{@code .svg}/{@code .text} a string field, and
 * {@code .http} a response described by {@code statusCode}, {@code headers} and {@code body}.
 */
public final class WebResults {
    static final String PROPERTY_NOT_FOUND = "Response does not include requested property.";
    static final String UNKNOWN_CONTENT_TYPE = "Response did not specify a known content-type.";
    static final String CONTENT_TYPE_MISMATCH = "Response type in header did not match generated content type.";
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern BASE64 =
            Pattern.compile("([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)?");
    /** Headers that describe the message framing, which is ours to set, not the action's. */
    private static final Set<String> FRAMING = Set.of("content-type", "content-length", "transfer-encoding",
            "connection");

    /** A response ready to send; a null content type and body mean an empty entity. */
    record Reply(int status, List<Map.Entry<String, String>> headers, String contentType, byte[] body) {
        void send(HttpServerResponse response) {
            response.setStatusCode(status);
            headers.stream().map(Map.Entry::getKey).distinct().forEach(response.headers()::remove);
            headers.forEach(h -> response.headers().add(h.getKey(), h.getValue()));
            if (contentType != null) {
                response.putHeader("Content-Type", contentType);
            }
            response.end(body == null ? Buffer.buffer() : Buffer.buffer(body));
        }
    }

    private WebResults() {
    }

    /**
     * @throws WispException BAD_REQUEST when the result does not fit the extension, NOT_FOUND when a
     *                       {@code .text} result lacks its field
     */
    static Reply of(WebPath.Extension extension, JsonNode result) {
        return switch (extension) {
            case JSON -> {
                if (!result.isContainerNode()) {
                    throw invalid("application/json");
                }
                yield new Reply(200, List.of(), "application/json", Json.encode(result));
            }
            case HTML -> string(result, "html", "text/html", "text/html; charset=UTF-8");
            case SVG -> string(result, "svg", "image/svg+xml", "image/svg+xml");
            case TEXT -> text(result);
            case HTTP -> http(result);
        };
    }

    private static Reply string(JsonNode result, String field, String mediaType, String contentType) {
        JsonNode value = result.isObject() ? field(result, "body", field) : result;
        if (value == null || !value.isTextual()) {
            throw invalid(mediaType);
        }
        return new Reply(200, List.of(), contentType, value.textValue().getBytes(StandardCharsets.UTF_8));
    }

    private static Reply text(JsonNode result) {
        JsonNode value = result.isObject() ? field(result, "body", "text") : result;
        if (value == null) {
            throw WispException.notFound(PROPERTY_NOT_FOUND);
        }
        String text = value.isContainerNode() ? value.toPrettyString() : value.isTextual() ? value.textValue()
                : value.isNumber() ? number(value) : value.asText();
        return new Reply(200, List.of(), "text/plain; charset=UTF-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** The first field of these names that is present, even if null; null when none is. */
    private static JsonNode field(JsonNode object, String first, String second) {
        JsonNode v = object.get(first);
        return v != null ? v : object.get(second);
    }

    private static Reply http(JsonNode result) {
        if (!result.isObject()) {
            throw invalid("message/http");
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        JsonNode h = result.get("headers");
        if (h != null) {
            if (!h.isObject()) {
                throw invalid("message/http");
            }
            h.properties().forEach(e -> headerValues(e.getKey(), e.getValue(), headers));
        }
        Integer status = status(result.get("statusCode"));
        String contentType = headers.stream().filter(e -> e.getKey().equalsIgnoreCase("content-type"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        List<Map.Entry<String, String>> passed = headers.stream()
                .filter(e -> !FRAMING.contains(e.getKey().toLowerCase(Locale.ROOT))).toList();
        JsonNode body = result.get("body");
        if (body == null || body.isNull() || (body.isTextual() && body.textValue().isEmpty())) {
            return new Reply(status == null ? 204 : status, passed, null, null);
        }
        int code = status == null ? 200 : status;
        if (body.isTextual()) {
            return stringBody(code, passed, contentType, body.textValue());
        }
        String mediaType = contentType == null ? "application/json" : MediaTypes.of(contentType);
        if (mediaType == null || !MediaTypes.isJson(mediaType)) {
            throw WispException.badRequest(CONTENT_TYPE_MISMATCH);
        }
        return new Reply(code, passed, contentType == null ? "application/json" : contentType, Json.encode(body));
    }

    private static Reply stringBody(int code, List<Map.Entry<String, String>> headers, String contentType,
                                    String body) {
        String given = contentType == null ? "text/html" : contentType;
        String mediaType = MediaTypes.of(given);
        if (mediaType == null) {
            throw WispException.badRequest(UNKNOWN_CONTENT_TYPE);
        }
        byte[] bytes;
        if (!MediaTypes.isText(mediaType) || (MediaTypes.isJson(mediaType) && BASE64.matcher(body).matches())) {
            try {
                bytes = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw WispException.badRequest(CONTENT_TYPE_MISMATCH);
            }
        } else {
            bytes = body.getBytes(StandardCharsets.UTF_8);
        }
        return new Reply(code, headers, MediaTypes.withCharset(given, mediaType), bytes);
    }

    private static void headerValues(String name, JsonNode value, List<Map.Entry<String, String>> into) {
        if (!HEADER_NAME.matcher(name).matches()) {
            throw invalid("message/http");
        }
        if (value.isArray()) {
            value.forEach(v -> headerValues(name, v, into));
            return;
        }
        String v;
        if (value.isTextual()) {
            v = value.textValue();
        } else if (value.isBoolean()) {
            v = String.valueOf(value.booleanValue());
        } else if (value.isNumber()) {
            v = number(value);
        } else {
            throw invalid("message/http");
        }
        if (v.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
            throw invalid("message/http");
        }
        into.add(Map.entry(name, v));
    }

    /**
     * The status code a result names: a whole number or a string of one, 200 to 599; null when absent. A 1xx is
     * an interim answer in HTTP, never a final one: sent as the answer, it would leave the caller (and the gateway)
     * waiting for the real one.
     */
    private static Integer status(JsonNode code) {
        if (code == null) {
            return null;
        }
        int c;
        try {
            if (code.isNumber()) {
                c = code.decimalValue().intValueExact();
            } else if (code.isTextual()) {
                c = Integer.parseInt(code.textValue());
            } else {
                throw invalid("message/http");
            }
        } catch (ArithmeticException | NumberFormatException e) {
            throw invalid("message/http");
        }
        if (c < 200 || c > 599) {
            throw invalid("message/http");
        }
        return c;
    }

    private static String number(JsonNode n) {
        BigDecimal d = n.decimalValue();
        return n.isIntegralNumber() ? d.toBigInteger().toString() : d.toString();
    }

    private static WispException invalid(String mediaType) {
        return WispException.badRequest("Response is not valid '" + mediaType + "'.");
    }
}
