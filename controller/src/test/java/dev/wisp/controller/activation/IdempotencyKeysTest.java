package dev.wisp.controller.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.codec.Json;
import dev.wisp.common.error.WispException;
import org.junit.jupiter.api.Test;

class IdempotencyKeysTest {
    @Test
    void fingerprintsIgnoreFieldOrderButNotValuesOrTarget() {
        var a = Json.parseUserObject("{\"x\":1,\"y\":{\"b\":[1,{\"d\":1,\"c\":2}],\"a\":null}}".getBytes());
        var b = Json.parseUserObject("{\"y\":{\"a\":null,\"b\":[1,{\"c\":2,\"d\":1}]},\"x\":1}".getBytes());
        var c = Json.parseUserObject("{\"x\":2,\"y\":{\"a\":null,\"b\":[1,{\"c\":2,\"d\":1}]}}".getBytes());
        assertEquals(IdempotencyKeys.fingerprint("guest/act", a), IdempotencyKeys.fingerprint("guest/act", b));
        assertTrue(!IdempotencyKeys.fingerprint("guest/act", a).equals(IdempotencyKeys.fingerprint("guest/act", c)));
        assertTrue(!IdempotencyKeys.fingerprint("guest/act", a).equals(IdempotencyKeys.fingerprint("guest/other", a)));
    }

    @Test
    void keysAreCheckedAgainstTheLengthLimit() {
        assertNull(IdempotencyKeys.validate(null));
        assertEquals("k".repeat(256), IdempotencyKeys.validate("k".repeat(256)));
        WispException e = assertThrows(WispException.class, () -> IdempotencyKeys.validate("k".repeat(257)));
        assertTrue(e.getMessage().contains("257 characters long, which exceeds the limit of 256"), e.getMessage());
        assertThrows(WispException.class, () -> IdempotencyKeys.validate(""));
    }
}
