package dev.wisp.common.entity;

import java.util.List;
import java.util.Objects;

/**
 * A user and the namespaces they own. Each namespace has a uuid (the user part of {@code uuid:key}) and the
 * SHA-256 of its key; the key itself is never stored.
 */
public record Subject(String subject, List<NamespaceKey> namespaces, boolean blocked) {
    public Subject {
        Objects.requireNonNull(subject, "subject");
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    }

    /** One namespace of a subject with its credentials. */
    public record NamespaceKey(String name, String uuid, String keyHash) {
        public NamespaceKey {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(uuid, "uuid");
            Objects.requireNonNull(keyHash, "keyHash");
        }
    }
}
