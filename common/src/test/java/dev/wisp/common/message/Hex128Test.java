package dev.wisp.common.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class Hex128Test {
    @Test
    void idsAreThirtyTwoLowercaseHexDigitsAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String a = ActivationId.generate().value();
            String t = TransactionId.generate().value();
            assertTrue(a.matches("[0-9a-f]{32}"), a);
            assertTrue(t.matches("[0-9a-f]{32}"), t);
            assertTrue(seen.add(a) && seen.add(t), "a repeated id");
        }
    }

    @Test
    void formatsBothHalvesInOrder() {
        assertEquals("0123456789abcdeffedcba9876543210", Hex128.of(0x0123456789abcdefL, 0xfedcba9876543210L));
        assertEquals("0".repeat(32), Hex128.of(0, 0));
    }

    @Test
    void activationIdsAcceptOnlyTheirForm() {
        assertTrue(ActivationId.isValid("0123456789abcdef0123456789abcdef"));
        for (String bad : new String[] {null, "", "0123456789ABCDEF0123456789abcdef", "0123456789abcdef0123456789abcde",
                "0123456789abcdef0123456789abcdef0", "0123456789abcdeg0123456789abcdef", "../../_all_docs_xxxxxxxxxxxxxxxx"}) {
            assertFalse(ActivationId.isValid(bad), String.valueOf(bad));
        }
        assertThrows(IllegalArgumentException.class, () -> ActivationId.of("not-an-id"));
    }

    @Test
    void aCallersRequestIdIsKeptOnlyWhenShortAndPrintable() {
        assertEquals("my-request-1", TransactionId.fromHeader("my-request-1").value());
        assertFalse(TransactionId.fromHeader("has space").value().contains(" "));
        assertFalse(TransactionId.fromHeader("tab\there").value().contains("\t"));
        assertFalse(TransactionId.fromHeader("é").value().contains("é"));
        assertEquals(32, TransactionId.fromHeader("x".repeat(65)).value().length());
        assertEquals(32, TransactionId.fromHeader(null).value().length());
    }
}
