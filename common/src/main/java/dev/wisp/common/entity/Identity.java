package dev.wisp.common.entity;

import java.util.Objects;

/** The authenticated caller of a request: the subject, the namespace its key belongs to, and the key's uuid. */
public record Identity(String subject, String namespace, String uuid) {
    public Identity {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(uuid, "uuid");
    }
}
