package dev.wisp.common.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import dev.wisp.common.error.WispException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one codec of Wisp: every message, entity and document goes through this mapper. Unknown properties are
 * ignored so that components of different versions can run side by side during a rolling upgrade. Nesting is
 * bounded so hostile input fails fast with a 400 instead of exhausting the stack.
 */
public final class Json {
    /** Deepest nesting accepted in any JSON we read. */
    public static final int MAX_NESTING = 200;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            // getters, setters and constructors called through generated lambdas rather than reflection: the
            // messages of every invoke are encoded and decoded several times (JFR: Jackson's reflective calls
            // were about 4% of the standalone's CPU under load)
            .addModule(new BlackbirdModule())
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING)
                .maxNumberLength(1000)
                // action code travels as one JSON string (up to limits.code.bytes, base64 for a zip); the
                // size of what we read is bounded by the HTTP body and Kafka record limits instead
                .maxStringLength(Integer.MAX_VALUE)
                .build());
    }

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static byte[] encode(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String encodeToString(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T decode(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T convert(JsonNode node, Class<T> type) {
        return MAPPER.convertValue(node, type);
    }

    public static JsonNode toTree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /**
     * Parses a request body supplied by a user.
     *
     * @throws WispException BAD_REQUEST naming what is wrong with the body
     */
    public static JsonNode parseUserJson(byte[] bytes) {
        try {
            JsonNode node = MAPPER.readerFor(JsonNode.class)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readValue(bytes);
            if (node == null || node.isMissingNode()) {
                throw WispException.badRequest("The request content was malformed: empty body.");
            }
            return node;
        } catch (IOException e) {
            String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw WispException.badRequest("The request content was malformed: " + detail);
        } catch (StackOverflowError e) {
            throw WispException.badRequest("The request content was malformed: nested too deeply.");
        }
    }

    /**
     * Parses a user's body that must be a JSON object (an empty body is an empty object).
     *
     * @throws WispException BAD_REQUEST when it is not valid JSON or not an object
     */
    public static ObjectNode parseUserObject(byte[] bytes) {
        if (bytes == null || bytes.length == 0 || new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return object();
        }
        JsonNode node = parseUserJson(bytes);
        if (!node.isObject()) {
            throw WispException.badRequest("The request content was malformed: expected a JSON object, got "
                    + node.getNodeType().toString().toLowerCase() + ".");
        }
        return (ObjectNode) node;
    }
}
