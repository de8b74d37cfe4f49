package dev.wisp.common.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.entity.Activation;
import dev.wisp.common.entity.ActivationResponse;
import dev.wisp.common.error.WispException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void deeplyNestedInputIsABadRequestNotACrash() {
        byte[] hostile = ("[".repeat(100_000) + "]".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
        WispException e = assertThrows(WispException.class, () -> Json.parseUserJson(hostile));
        assertEquals(400, e.status());
    }

    @Test
    void emptyBodyIsAnEmptyObjectAndArraysAreRefused() {
        assertEquals(0, Json.parseUserObject(new byte[0]).size());
        WispException e = assertThrows(WispException.class,
                () -> Json.parseUserObject("[1]".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("expected a JSON object"), e.getMessage());
    }

    @Test
    void trailingContentAndHugeNumbersAreBadRequests() {
        WispException trailing = assertThrows(WispException.class,
                () -> Json.parseUserObject("{} {}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(400, trailing.status());
        WispException digits = assertThrows(WispException.class,
                () -> Json.parseUserObject(("{\"n\":" + "9".repeat(1001) + "}").getBytes(StandardCharsets.UTF_8)));
        assertEquals(400, digits.status());
    }

    @Test
    void longStringsSuchAsActionCodeAreRead() {
        String code = "x".repeat(25_000_000);
        assertEquals(code.length(), Json.parseUserObject(("{\"code\":\"" + code + "\"}")
                .getBytes(StandardCharsets.UTF_8)).get("code").asText().length());
    }

    @Test
    void activationRoundTripsAndIgnoresUnknownFields() {
        Activation a = new Activation("ns", "act", "subj", "0123456789abcdef0123456789abcdef", "0.0.1", false, 1, 2,
                1, ActivationResponse.success(Json.object().put("x", 1)), List.of("l"), List.of(), null);
        byte[] bytes = Json.encode(a);
        String withExtra = new String(bytes, StandardCharsets.UTF_8).replaceFirst("\\{", "{\"futureField\":7,");
        assertEquals(a, Json.decode(withExtra.getBytes(StandardCharsets.UTF_8), Activation.class));
    }
}
