package dev.wisp.controller.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.entity.WhiskPackage;
import dev.wisp.common.store.CouchStore;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ektorp.CouchDbConnector;
import org.ektorp.support.DesignDocument;

/**
 * Packages in the {@code whisks} database next to the actions (one id space: {@code namespace/name}), and the
 * actions inside a package (whose {@code namespace} is {@code namespace/package}). Views keyed
 * {@code [namespace, updated]} list packages, published packages and a package's actions.
 */
public final class PackageStore {
    private static final String DESIGN = "_design/wisp-packages";
    private static final String PACKAGES = "packages";
    private static final String PUBLISHED = "published";
    private static final String ACTIONS = "actions";
    private final CouchStore store;
    private final CouchDbConnector db;
    private final TypedDocs<WhiskPackage> docs;

    /** A package with the store revision it was read at. */
    public record Stored(WhiskPackage pkg, String revision) {
    }

    /** Opens the database and ensures its views. Blocking: call at start-up, off the event loop. */
    public PackageStore(CouchStore store) {
        this.store = store;
        this.db = store.database("whisks");
        this.docs = new TypedDocs<>(db, "package", WhiskPackage.class, DESIGN, PACKAGES);
        DesignDocs.ensure(db, DESIGN, Map.of(
                PACKAGES, view("doc.entityType === 'package'"),
                PUBLISHED, view("doc.entityType === 'package' && doc.publish === true"),
                ACTIONS, view("doc.entityType === 'action' && doc.namespace.indexOf('/') > 0")));
    }

    private static DesignDocument.View view(String condition) {
        return new DesignDocument.View("function (doc) { if (doc.namespace && " + condition + ") {"
                + " emit([doc.namespace, doc.updated || 0], null); } }", "_count");
    }

    /** Reads a package or binding; empty when there is none. */
    public Future<Optional<Stored>> get(EntityPath path) {
        return store.call(() -> docs.get(path.docId()).map(v -> new Stored(v.entity(), v.revision())));
    }

    /**
     * Creates a package, or replaces the one at {@code expectedRevision}.
     *
     * @return the new revision; fails with CONFLICT when the name is taken by another entity or someone changed
     *         the package first
     */
    public Future<String> put(EntityPath path, WhiskPackage pkg, String expectedRevision) {
        return store.call(() -> docs.put(path.docId(), pkg, expectedRevision, EntityStore.NOT_IN_COLLECTION));
    }

    /** Deletes a package at the given revision. */
    public Future<Void> delete(EntityPath path, String revision) {
        return store.call(() -> {
            docs.delete(path.docId(), revision);
            return null;
        });
    }

    /** One page of a namespace's packages (only the published ones when {@code publishedOnly}), newest first. */
    public Future<List<WhiskPackage>> list(String namespace, boolean publishedOnly, int skip, int limit) {
        return store.call(() -> range(publishedOnly ? PUBLISHED : PACKAGES, namespace).page(db, skip, limit).stream()
                .map(doc -> Json.convert(EntityStore.strip((ObjectNode) doc), WhiskPackage.class)).toList());
    }

    public Future<Long> count(String namespace, boolean publishedOnly) {
        return store.call(() -> range(publishedOnly ? PUBLISHED : PACKAGES, namespace).count(db));
    }

    /** The actions of a package (at most {@code limit}), newest first, without their code. */
    public Future<List<WhiskAction>> actions(EntityPath pkg, int skip, int limit) {
        return store.call(() -> range(ACTIONS, pkg.docId()).page(db, skip, limit).stream()
                .map(doc -> EntityStore.action((ObjectNode) doc).withoutCode())
                .toList());
    }

    public Future<Long> countActions(EntityPath pkg) {
        return store.call(() -> range(ACTIONS, pkg.docId()).count(db));
    }

    private static ViewRange range(String view, String namespace) {
        return new ViewRange(DESIGN, view, List.of(namespace), 0, Long.MAX_VALUE);
    }
}
