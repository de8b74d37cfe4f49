package dev.wisp.common.entity;

/** The authenticated caller of a request: the subject, the namespace its key belongs to, and the key's uuid. */
public record Identity(String subject, String namespace, String uuid) {
    public Identity {
        Fields.required("subject, namespace, uuid", subject, namespace, uuid);
    }
}
