package dev.wisp.controller.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.store.CouchStore;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ektorp.CouchDbConnector;
import org.ektorp.support.DesignDocument;

/**
 * Actions (and later the other entities) in the {@code whisks} database, keyed by their path. Listing uses a
 * view keyed {@code [namespace, updated]}, created or updated at start-up.
 */
public final class EntityStore {
    private static final String DESIGN = "_design/wisp-entities";
    private static final String ACTIONS_VIEW = "actions";
    /** OpenWhisk's answer when a name is taken, by an entity of any type, or the revision moved. */
    static final String NOT_IN_COLLECTION = "Resource by this name exists but is not in this collection.";
    private final CouchStore store;
    private final CouchDbConnector db;
    private final TypedDocs<WhiskAction> docs;

    /** Opens the database and ensures its views. Blocking: call at start-up, off the event loop. */
    public EntityStore(CouchStore store) {
        this.store = store;
        this.db = store.database("whisks");
        this.docs = new TypedDocs<>(db, "action", WhiskAction.class, DESIGN, ACTIONS_VIEW);
        DesignDocs.ensure(db, DESIGN, Map.of(ACTIONS_VIEW, new DesignDocument.View(
                "function (doc) { if (doc.entityType === 'action' && doc.namespace) {"
                        + " emit([doc.namespace.split('/')[0], doc.updated || 0], null); } }", "_count")));
    }

    /** One page of a namespace's actions, most recently updated first, without their code. */
    public Future<List<WhiskAction>> listActions(String namespace, int skip, int limit) {
        return store.call(() -> actions(namespace).page(db, skip, limit).stream()
                .map(doc -> action((ObjectNode) doc).withoutCode())
                .toList());
    }

    /** How many actions a namespace has. */
    public Future<Long> countActions(String namespace) {
        return store.call(() -> actions(namespace).count(db));
    }

    private static ViewRange actions(String namespace) {
        return new ViewRange(DESIGN, ACTIONS_VIEW, List.of(namespace), 0, Long.MAX_VALUE);
    }

    /** An action with the store revision it was read at. */
    public record Stored(WhiskAction action, String revision) {
    }

    /** Reads an action; empty when there is none. */
    public Future<Optional<Stored>> getAction(EntityPath path) {
        // read the way OpenWhisk reads it, as action(doc) does
        return store.call(() -> docs.get(path.docId())
                .map(v -> new Stored(v.entity().withExecAnnotation(), v.revision())));
    }

    /**
     * Creates an action, or replaces the one at {@code expectedRevision}.
     *
     * @return the new revision; fails with CONFLICT when someone else changed it first
     */
    public Future<String> putAction(EntityPath path, WhiskAction action, String expectedRevision) {
        return store.call(() -> docs.put(path.docId(), action, expectedRevision, NOT_IN_COLLECTION));
    }

    /** An action just written at {@code revision}, as {@link #getAction} now reads it. */
    public static Stored asRead(WhiskAction written, String revision) {
        return new Stored(action((ObjectNode) Json.toTree(written)), revision);
    }

    /** Deletes an action at the given revision. */
    public Future<Void> deleteAction(EntityPath path, String revision) {
        return store.call(() -> {
            docs.delete(path.docId(), revision);
            return null;
        });
    }

    /**
     * An action as stored, read the way OpenWhisk reads it: a {@code family:default} kind as the concrete one
     * (see {@code Exec}) and with the {@code exec} annotation, which actions stored before it was kept lack.
     */
    static WhiskAction action(ObjectNode doc) {
        return Json.convert(strip(doc), WhiskAction.class).withExecAnnotation();
    }

    static ObjectNode strip(ObjectNode doc) {
        doc.remove("_id");
        doc.remove("_rev");
        doc.remove("entityType");
        return doc;
    }
}
