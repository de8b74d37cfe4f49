package dev.wisp.controller.cache;

import java.util.Objects;

/**
 * An announcement that something controllers cache changed.
 *
 * @param key    an entity's document id, or {@link #subjectKey} of a revoked key's uuid
 * @param origin the controller that changed it (it has already evicted its own entry), or {@code admin}
 */
public record InvalidationMessage(String key, String origin) {
    private static final String SUBJECT = "subject:";
    private static final String APIS = "apis:";

    public InvalidationMessage {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(origin, "origin");
    }

    /** The key announcing that the credentials with this uuid changed; entity names cannot contain ':'. */
    public static String subjectKey(String uuid) {
        return SUBJECT + uuid;
    }

    /** The key announcing that a namespace's API routes changed. */
    public static String apisKey(String namespace) {
        return APIS + namespace;
    }

    /** The namespace of an {@link #apisKey}, or null for another key. */
    public static String namespaceOfApis(String key) {
        return key.startsWith(APIS) ? key.substring(APIS.length()) : null;
    }

    /** The uuid of a {@link #subjectKey}, or null for another key. */
    public static String uuidOf(String key) {
        return key.startsWith(SUBJECT) ? key.substring(SUBJECT.length()) : null;
    }
}
