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
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
