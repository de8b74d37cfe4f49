package dev.wisp.common.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/** The {@code uuid:key} of an HTTP Basic {@code Authorization} header, as OpenWhisk's clients send it. */
public record BasicCredentials(String uuid, String key) {
    public BasicCredentials {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(key, "key");
    }

    /** The credentials of a header; empty when it is absent, not Basic, not base64 or has no non-empty halves. */
    public static Optional<BasicCredentials> parse(String header) {
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0 || colon == decoded.length() - 1) {
                return Optional.empty();
            }
            return Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
