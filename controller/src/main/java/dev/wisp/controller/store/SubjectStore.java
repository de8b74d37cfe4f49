package dev.wisp.controller.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.Subject;
import dev.wisp.common.error.WispException;
import dev.wisp.common.store.CouchStore;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ektorp.CouchDbConnector;
import org.ektorp.DocumentNotFoundException;
import org.ektorp.UpdateConflictException;
import org.ektorp.ViewQuery;
import org.ektorp.ViewResult;
import org.ektorp.support.DesignDocument;

/**
 * Subjects in the {@code subjects} database, found by name (the document id), by the uuid of one of their
 * namespace keys, or by namespace name (views). The {@code *Blocking} methods are for the admin command and
 * bootstrap, off any event loop.
 */
public final class SubjectStore {
    private static final String DESIGN = "_design/subjects";
    private final CouchStore store;
    private final CouchDbConnector db;

    /** Opens the database and ensures its views. Blocking: call at start-up, off the event loop. */
    public SubjectStore(CouchStore store) {
        this.store = store;
        this.db = store.database("subjects");
        DesignDocs.ensure(db, DESIGN, Map.of(
                "by_uuid", new DesignDocument.View("function (doc) { if (doc.namespaces) {"
                        + " doc.namespaces.forEach(function (ns) { emit(ns.uuid, null); }); } }"),
                "by_namespace", new DesignDocument.View("function (doc) { if (doc.namespaces) {"
                        + " doc.namespaces.forEach(function (ns) { emit(ns.name, null); }); } }")));
    }

    /** The subject owning the namespace key with this uuid. */
    public Future<Optional<Subject>> findByUuid(String uuid) {
        return store.call(() -> findBy("by_uuid", uuid));
    }

    /** The subject that owns a namespace, if any. */
    public Future<Optional<Subject>> findByNamespace(String namespace) {
        return store.call(() -> findBy("by_namespace", namespace));
    }

    public Future<Optional<Subject>> get(String subject) {
        return store.call(() -> getBlocking(subject));
    }

    /**
     * Creates a subject.
     *
     * @throws WispException CONFLICT when a subject of that name exists
     */
    public void createBlocking(Subject subject) {
        ObjectNode doc = (ObjectNode) Json.toTree(subject);
        doc.put("_id", subject.subject());
        try {
            db.create(doc);
        } catch (UpdateConflictException e) {
            throw WispException.conflict("The subject '" + subject.subject() + "' exists.");
        }
    }

    /**
     * Replaces a subject with a new version of it.
     *
     * @throws WispException CONFLICT when it changed since it was read, DocumentNotFoundException when gone
     */
    public void updateBlocking(Subject subject) {
        ObjectNode current = db.get(ObjectNode.class, subject.subject());
        ObjectNode doc = (ObjectNode) Json.toTree(subject);
        doc.put("_id", subject.subject());
        doc.put("_rev", current.path("_rev").asText());
        try {
            db.update(doc);
        } catch (UpdateConflictException e) {
            throw WispException.conflict("The subject '" + subject.subject() + "' changed meanwhile.");
        }
    }

    /** Deletes a subject; false when there was none. */
    public boolean deleteBlocking(String subject) {
        ObjectNode current = db.find(ObjectNode.class, subject);
        if (current == null) {
            return false;
        }
        try {
            db.delete(subject, current.path("_rev").asText());
            return true;
        } catch (DocumentNotFoundException e) {
            return false;
        }
    }

    public Optional<Subject> getBlocking(String subject) {
        if (subject.startsWith("_")) {
            return Optional.empty(); // design documents and other reserved ids are not subjects
        }
        return Optional.ofNullable(db.find(ObjectNode.class, subject)).map(SubjectStore::toSubject);
    }

    /** The subject that owns a namespace, if any. */
    public Optional<Subject> findByNamespaceBlocking(String namespace) {
        return findBy("by_namespace", namespace);
    }

    public List<String> listBlocking() {
        return db.getAllDocIds().stream().filter(id -> !id.startsWith("_design/")).sorted().toList();
    }

    private Optional<Subject> findBy(String view, String key) {
        ViewQuery q = new ViewQuery().designDocId(DESIGN).viewName(view).key(key).includeDocs(true);
        ViewResult result = db.queryView(q);
        for (ViewResult.Row row : result.getRows()) {
            JsonNode doc = row.getDocAsNode();
            if (doc != null && doc.isObject()) {
                return Optional.of(toSubject((ObjectNode) doc));
            }
        }
        return Optional.empty();
    }

    private static Subject toSubject(ObjectNode doc) {
        doc.remove("_id");
        doc.remove("_rev");
        return Json.convert(doc, Subject.class);
    }
}
