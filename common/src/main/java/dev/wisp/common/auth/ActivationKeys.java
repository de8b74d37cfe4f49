package dev.wisp.common.auth;

import dev.wisp.common.message.ActivationId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Activation-scoped API keys: what an action gets as {@code __OW_API_KEY} instead of its namespace's permanent
 * key. The credential has OpenWhisk's {@code uuid:key} form so every client takes it unchanged: the uuid is the
 * invoking namespace's, the key is {@code wisp-act.<activation id>.<expiry, epoch s>.<MAC>}, the MAC an
 * HMAC-SHA256 under the cluster's secret over the uuid, the namespace, the activation id and the expiry. The
 * API accepts it for that namespace only, and only until the expiry, shortly after the activation's deadline.
 * Pure and thread-safe: invokers mint, controllers verify, both holding the same secret.
 */
public final class ActivationKeys {
    /** What every activation key starts with, so that it is never mistaken for (or compared to) a real key. */
    public static final String PREFIX = "wisp-act.";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final SecretKeySpec secret;

    /** @param secret the cluster's secret, at least 32 bytes */
    public ActivationKeys(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < 32) {
            throw new IllegalArgumentException("the activation key secret must have at least 32 bytes");
        }
        this.secret = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    /** The credential, {@code uuid:key}, for an activation of {@code namespace} valid until {@code expiresAtMillis}. */
    public String mint(String uuid, String namespace, ActivationId activationId, long expiresAtMillis) {
        long expires = Math.ceilDiv(expiresAtMillis, 1000L);
        String key = PREFIX + activationId.value() + "." + expires + "."
                + B64.encodeToString(mac(uuid, namespace, activationId.value(), expires));
        return uuid + ":" + key;
    }

    /** Whether {@code key} has the shape of an activation key (whether or not it is valid). */
    public static boolean isActivationKey(String key) {
        return key != null && key.startsWith(PREFIX);
    }

    /**
     * The activation a key was minted for, when it is genuine for {@code uuid} and {@code namespace} and has not
     * expired at {@code nowMillis}; empty for anything else (malformed, forged, another namespace's, expired).
     */
    public Optional<ActivationId> verify(String uuid, String namespace, String key, long nowMillis) {
        if (!isActivationKey(key)) {
            return Optional.empty();
        }
        String[] parts = key.substring(PREFIX.length()).split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            ActivationId id = ActivationId.of(parts[0]);
            long expires = Long.parseLong(parts[1]);
            byte[] offered = B64D.decode(parts[2]);
            byte[] expected = mac(uuid, namespace, id.value(), expires);
            if (!MessageDigest.isEqual(offered, expected) || nowMillis >= expires * 1000L) {
                return Optional.empty();
            }
            return Optional.of(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not an id, not a number, not base64
        }
    }

    private byte[] mac(String uuid, String namespace, String activationId, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            // lengths first, so that no two field lists share one encoding
            String text = uuid.length() + ":" + uuid + "|" + namespace.length() + ":" + namespace + "|"
                    + activationId + "|" + expires;
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
