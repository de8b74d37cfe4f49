package dev.wisp.controller.admin;

import dev.wisp.common.entity.EntityName;
import dev.wisp.common.error.ErrorKind;
import dev.wisp.common.error.WispException;
import dev.wisp.common.entity.Keys;
import dev.wisp.common.entity.NamespaceLimits;
import dev.wisp.common.entity.Subject;
import dev.wisp.controller.store.SubjectStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The operator's commands on subjects: create one with its namespace and key, list, delete, rotate a key,
 * set throttle overrides. Only keys' hashes are stored; a new key is returned once, to be handed to its owner.
 * Blocking: meant for the admin command, not for an event loop.
 */
public final class SubjectAdmin {
    private final SubjectStore subjects;

    /** A namespace's new credentials. */
    public record Credentials(String namespace, String uuid, String key) {
        public String auth() {
            return uuid + ":" + key;
        }
    }

    /** New credentials and the uuid they replace. */
    public record Rotated(Credentials credentials, String revokedUuid) {
    }

    /** A refusal the operator can act on, e.g. the name is taken. */
    public static final class AdminException extends RuntimeException {
        public AdminException(String message) {
            super(message);
        }
    }

    public SubjectAdmin(SubjectStore subjects) {
        this.subjects = Objects.requireNonNull(subjects, "subjects");
    }

    /** Creates subject {@code name} owning {@code namespace} (its own name when null). */
    public Credentials create(String name, String namespace) {
        String ns = namespace == null ? name : namespace;
        requireName("subject", name);
        requireName("namespace", ns);
        if (subjects.getBlocking(name).isPresent()) {
            throw new AdminException("subject '" + name + "' already exists");
        }
        subjects.findByNamespaceBlocking(ns).ifPresent(owner -> {
            throw new AdminException("namespace '" + ns + "' already belongs to subject '" + owner.subject() + "'");
        });
        Credentials c = new Credentials(ns, Keys.newUuid(), Keys.newKey());
        try {
            subjects.createBlocking(new Subject(name, List.of(new Subject.NamespaceKey(ns, c.uuid(), Keys.hash(c.key()))),
                    false));
        } catch (WispException e) {
            if (e.kind() != ErrorKind.CONFLICT) {
                throw e;
            }
            throw new AdminException("subject '" + name + "' already exists");
        }
        return c;
    }

    /** Every subject, sorted by name. */
    public List<Subject> list() {
        List<Subject> all = new ArrayList<>();
        for (String id : subjects.listBlocking()) {
            subjects.getBlocking(id).ifPresent(all::add);
        }
        return all;
    }

    /** Deletes a subject; returns the uuids of its keys, now revoked. */
    public List<String> delete(String name) {
        Subject s = existing(name);
        if (!subjects.deleteBlocking(name)) {
            throw new AdminException("subject '" + name + "' does not exist");
        }
        return s.namespaces().stream().map(Subject.NamespaceKey::uuid).toList();
    }

    /**
     * Replaces the uuid and key of one of the subject's namespaces (its first when {@code namespace} is null).
     * The old credentials stop working at once for controllers that have not seen them lately, and within the
     * authentication cache's lifetime (10 s) for those that have, unless the revocation is announced.
     */
    public Rotated rotate(String name, String namespace) {
        Subject s = existing(name);
        List<Subject.NamespaceKey> keys = new ArrayList<>(s.namespaces());
        int index = -1;
        for (int i = 0; i < keys.size(); i++) {
            if (namespace == null || keys.get(i).name().equals(namespace)) {
                index = i;
                break;
            }
        }
        if (index < 0) {
            throw new AdminException("subject '" + name + "' has no namespace '" + namespace + "'");
        }
        String revoked = keys.get(index).uuid();
        Credentials c = new Credentials(keys.get(index).name(), Keys.newUuid(), Keys.newKey());
        keys.set(index, new Subject.NamespaceKey(c.namespace(), c.uuid(), Keys.hash(c.key())));
        update(new Subject(s.subject(), keys, s.blocked(), s.limits()));
        return new Rotated(c, revoked);
    }

    /** Sets the subject's throttle overrides; null fields fall back to the system defaults. */
    public void setLimits(String name, NamespaceLimits limits) {
        Subject s = existing(name);
        update(new Subject(s.subject(), s.namespaces(), s.blocked(),
                limits.equals(NamespaceLimits.NONE) ? null : limits));
    }

    private void update(Subject s) {
        try {
            subjects.updateBlocking(s);
        } catch (WispException e) {
            if (e.kind() != ErrorKind.CONFLICT) {
                throw e;
            }
            throw new AdminException("subject '" + s.subject() + "' changed meanwhile; run the command again");
        }
    }

    private Subject existing(String name) {
        return subjects.getBlocking(name)
                .orElseThrow(() -> new AdminException("subject '" + name + "' does not exist"));
    }

    private static void requireName(String what, String name) {
        if (!EntityName.isValid(name)) {
            throw new AdminException("'" + name + "' is not a valid " + what + " name: letters, digits, '_', '@',"
                    + " '.', '-' and inner spaces, at most " + EntityName.MAX_LENGTH + " characters");
        }
    }
}
