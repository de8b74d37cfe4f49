package dev.wisp.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.message.ActivationId;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ActivationKeysTest {
    private static final byte[] SECRET = new byte[32];
    private final ActivationKeys keys = new ActivationKeys(SECRET);
    private final ActivationId id = ActivationId.generate();

    private String keyOf(String credential) {
        return credential.substring(credential.indexOf(':') + 1);
    }

    @Test
    void aMintedKeyIsValidForItsNamespaceUntilItExpires() {
        String credential = keys.mint("uuid-a", "alice", id, 10_000);
        assertTrue(credential.startsWith("uuid-a:" + ActivationKeys.PREFIX));
        String key = keyOf(credential);
        assertEquals(Optional.of(id), keys.verify("uuid-a", "alice", key, 9_999));
        assertEquals(Optional.empty(), keys.verify("uuid-a", "alice", key, 10_000));
    }

    @Test
    void anotherNamespaceOrUuidOrSecretRefusesIt() {
        String key = keyOf(keys.mint("uuid-a", "alice", id, 10_000));
        assertEquals(Optional.empty(), keys.verify("uuid-b", "alice", key, 0));
        assertEquals(Optional.empty(), keys.verify("uuid-a", "bob", key, 0));
        byte[] other = new byte[32];
        other[0] = 1;
        assertEquals(Optional.empty(), new ActivationKeys(other).verify("uuid-a", "alice", key, 0));
    }

    @Test
    void aChangedExpiryOrIdOrMacIsRefused() {
        String key = keyOf(keys.mint("uuid-a", "alice", id, 10_000));
        String[] parts = key.substring(ActivationKeys.PREFIX.length()).split("\\.");
        String later = ActivationKeys.PREFIX + parts[0] + "." + (Long.parseLong(parts[1]) + 3600) + "." + parts[2];
        assertEquals(Optional.empty(), keys.verify("uuid-a", "alice", later, 0));
        String otherId = ActivationKeys.PREFIX + ActivationId.generate().value() + "." + parts[1] + "." + parts[2];
        assertEquals(Optional.empty(), keys.verify("uuid-a", "alice", otherId, 0));
        char[] mac = parts[2].toCharArray();
        mac[0] = mac[0] == 'A' ? 'B' : 'A';
        String forged = ActivationKeys.PREFIX + parts[0] + "." + parts[1] + "." + new String(mac);
        assertEquals(Optional.empty(), keys.verify("uuid-a", "alice", forged, 0));
    }

    @Test
    void garbageIsRefusedWithoutThrowing() {
        for (String garbage : Arrays.asList(null, "", "wisp-act.", "wisp-act.x.y.z", "wisp-act.a.b",
                ActivationKeys.PREFIX + id.value() + ".notanumber.AAAA", ActivationKeys.PREFIX + id.value() + ".1.%%%",
                "a-real-looking-64-character-key")) {
            assertEquals(Optional.empty(), keys.verify("uuid-a", "alice", garbage, 0), String.valueOf(garbage));
        }
        assertFalse(ActivationKeys.isActivationKey("plainkey"));
    }

    @Test
    void aShortSecretIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ActivationKeys(new byte[16]));
    }
}
