package dev.wisp.common.entity;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * A user and the namespaces they own. Each namespace has a uuid (the user part of {@code uuid:key}) and the
 * SHA-256 of its key; the key itself is never stored.
 *
 * @param limits throttle overrides for this subject's namespaces; null means the system defaults
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Subject(String subject, List<NamespaceKey> namespaces, boolean blocked, NamespaceLimits limits) {
    public Subject {
        Objects.requireNonNull(subject, "subject");
        namespaces = Fields.list(namespaces);
    }

    /** A subject with the system's default limits. */
    public Subject(String subject, List<NamespaceKey> namespaces, boolean blocked) {
        this(subject, namespaces, blocked, null);
    }

    /** The overrides, or {@link NamespaceLimits#NONE}. */
    public NamespaceLimits limitsOrNone() {
        return limits == null ? NamespaceLimits.NONE : limits;
    }

    /** One namespace of a subject with its credentials. */
    public record NamespaceKey(String name, String uuid, String keyHash) {
        public NamespaceKey {
            Fields.required("name, uuid, keyHash", name, uuid, keyHash);
        }
    }
}
