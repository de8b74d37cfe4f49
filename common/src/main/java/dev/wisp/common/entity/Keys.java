package dev.wisp.common.entity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;

/** Credentials of a namespace: {@code uuid:key}, of which only the key's SHA-256 is stored. */
public final class Keys {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** One digest per thread, reused: looking one up costs a provider search and a reflective constructor. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    });

    private Keys() {
    }

    public static String newUuid() {
        return UUID.randomUUID().toString();
    }

    /** A random 64-character key, OpenWhisk's length. */
    public static String newKey() {
        StringBuilder b = new StringBuilder(64);
        for (int i = 0; i < 64; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /** The hex SHA-256 of a key. Keys are long and random, so an unsalted digest is enough. */
    public static String hash(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    /** The SHA-256 of a text's UTF-8 bytes (every request's credentials are digested, at the edge and here). */
    public static byte[] sha256(String text) {
        return SHA_256.get().digest(text.getBytes(StandardCharsets.UTF_8)); // digest() leaves it reset
    }
}
