package dev.wisp.controller.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.Subject;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import org.ektorp.CouchDbConnector;
import org.ektorp.UpdateConflictException;
import org.ektorp.ViewQuery;
import org.ektorp.ViewResult;
import org.ektorp.support.DesignDocument;

/**
 * Subjects in the {@code subjects} database, found by name (the document id) or by the uuid of one of their
 * namespace keys (a view).
 */
public final class SubjectStore {
    private static final String DESIGN = "_design/subjects";
    private final CouchStore store;
    private final CouchDbConnector db;

    public SubjectStore(CouchStore store) {
        this.store = store;
        this.db = store.database("subjects");
        ensureViews();
    }

    private void ensureViews() {
        if (db.contains(DESIGN)) {
            return;
        }
        DesignDocument design = new DesignDocument(DESIGN);
        design.addView("by_uuid", new DesignDocument.View(
                "function (doc) { if (doc.namespaces) { doc.namespaces.forEach(function (ns) {"
                        + " emit(ns.uuid, null); }); } }"));
        try {
            db.create(design);
        } catch (UpdateConflictException e) {
            // another controller created it first
        }
    }

    /** The subject owning the namespace key with this uuid. */
    public Future<Optional<Subject>> findByUuid(String uuid) {
        return store.call(() -> {
            ViewQuery q = new ViewQuery().designDocId(DESIGN).viewName("by_uuid").key(uuid).includeDocs(true);
            ViewResult result = db.queryView(q);
            for (ViewResult.Row row : result.getRows()) {
                JsonNode doc = row.getDocAsNode();
                if (doc != null && doc.isObject()) {
                    return Optional.of(toSubject((ObjectNode) doc));
                }
            }
            return Optional.empty();
        });
    }

    public Future<Optional<Subject>> get(String subject) {
        return store.call(() -> Optional.ofNullable(db.find(ObjectNode.class, subject)).map(SubjectStore::toSubject));
    }

    /** Creates a subject; fails if one of that name exists. Blocking variant for admin tools and bootstrap. */
    public void createBlocking(Subject subject) {
        ObjectNode doc = (ObjectNode) Json.toTree(subject);
        doc.put("_id", subject.subject());
        db.create(doc);
    }

    public Optional<Subject> getBlocking(String subject) {
        return Optional.ofNullable(db.find(ObjectNode.class, subject)).map(SubjectStore::toSubject);
    }

    public List<String> listBlocking() {
        return db.getAllDocIds().stream().filter(id -> !id.startsWith("_design/")).toList();
    }

    private static Subject toSubject(ObjectNode doc) {
        doc.remove("_id");
        doc.remove("_rev");
        return Json.convert(doc, Subject.class);
    }
}
