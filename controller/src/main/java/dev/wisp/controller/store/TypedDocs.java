package dev.wisp.controller.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.error.WispException;
import dev.wisp.common.store.CouchStore;
import java.util.List;
import java.util.Optional;
import org.ektorp.CouchDbConnector;
import org.ektorp.DocumentNotFoundException;
import org.ektorp.UpdateConflictException;

/**
 * The documents of one entity type in the {@code whisks} database (marked by {@code entityType}), keyed by the
 * entity's path and listed through a view keyed {@code [namespace, updated]}. Blocking: run through
 * {@link CouchStore#call}.
 */
final class TypedDocs<T> {
    private final CouchDbConnector db;
    private final String entityType;
    private final Class<T> type;
    private final String design;
    private final String view;

    /** An entity with the store revision it was read at. */
    record Versioned<T>(T entity, String revision) {
    }

    TypedDocs(CouchDbConnector db, String entityType, Class<T> type, String design, String view) {
        this.db = db;
        this.entityType = entityType;
        this.type = type;
        this.design = design;
        this.view = view;
    }

    /** The view's map function for this type. */
    static String mapFunction(String entityType) {
        return "function (doc) { if (doc.entityType === '" + entityType + "' && doc.namespace) {"
                + " emit([doc.namespace.split('/')[0], doc.updated || 0], null); } }";
    }

    Optional<Versioned<T>> get(String docId) {
        ObjectNode doc = db.find(ObjectNode.class, docId);
        if (doc == null || !entityType.equals(doc.path("entityType").asText())) {
            return Optional.empty();
        }
        String rev = doc.path("_rev").asText();
        return Optional.of(new Versioned<>(Json.convert(EntityStore.strip(doc), type), rev));
    }

    /**
     * Creates the document, or replaces the one at {@code expectedRevision}.
     *
     * @throws WispException CONFLICT when the id is taken (by any entity type) or the revision moved
     */
    String put(String docId, T entity, String expectedRevision) {
        return put(docId, entity, expectedRevision, expectedRevision == null ? "resource already exists"
                : "The " + entityType + " was changed at the same time; try again.");
    }

    /** As {@link #put(String, Object, String)}, failing with {@code conflict} as the message when the store refuses. */
    String put(String docId, T entity, String expectedRevision, String conflict) {
        ObjectNode doc = (ObjectNode) Json.toTree(entity);
        doc.put("_id", docId);
        doc.put("entityType", entityType);
        if (expectedRevision != null) {
            doc.put("_rev", expectedRevision);
        }
        try {
            if (expectedRevision == null) {
                db.create(doc);
            } else {
                db.update(doc);
            }
        } catch (UpdateConflictException e) {
            throw WispException.conflict(conflict);
        }
        return doc.path("_rev").asText();
    }

    /** Whether the id is taken by a document of another type (an action named like a new trigger, say). */
    boolean takenByOther(String docId) {
        ObjectNode doc = db.find(ObjectNode.class, docId);
        return doc != null && !entityType.equals(doc.path("entityType").asText());
    }

    void delete(String docId, String revision) {
        try {
            db.delete(docId, revision);
        } catch (UpdateConflictException e) {
            throw WispException.conflict("The " + entityType + " was changed while being deleted; try again.");
        } catch (DocumentNotFoundException e) {
            throw WispException.notFound("The requested resource does not exist.");
        }
    }

    List<T> page(String namespace, int skip, int limit) {
        return range(namespace).page(db, skip, limit).stream()
                .map(doc -> Json.convert(EntityStore.strip((ObjectNode) doc), type)).toList();
    }

    long count(String namespace) {
        return range(namespace).count(db);
    }

    private ViewRange range(String namespace) {
        return new ViewRange(design, view, List.of(namespace), 0, Long.MAX_VALUE);
    }
}
