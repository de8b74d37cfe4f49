package dev.wisp.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BasicCredentialsTest {
    private static String basic(String text) {
        return "Basic " + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aUuidAndAKeySplitAtTheFirstColon() {
        assertEquals(Optional.of(new BasicCredentials("u", "k:with:colons")), BasicCredentials.parse(basic("u:k:with:colons")));
        assertEquals(Optional.of(new BasicCredentials("u", "k")), BasicCredentials.parse("basic " + basic("u:k").substring(6)));
    }

    @Test
    void anythingElseIsEmpty() {
        for (String h : new String[] {null, "", "Basic", "Bearer abc", "Basic !!!", basic("nocolon"), basic(":key"),
                basic("uuid:")}) {
            assertTrue(BasicCredentials.parse(h).isEmpty(), String.valueOf(h));
        }
    }
}
