package dev.wisp.controller.store;

import java.util.Map;
import org.ektorp.CouchDbConnector;
import org.ektorp.DocumentNotFoundException;
import org.ektorp.UpdateConflictException;
import org.ektorp.support.DesignDocument;

/**
 * Creates a design document at start-up, or brings an older one up to date when its views differ, so a newer
 * controller can add a view to a database that an older one created. Blocking: call off the event loop.
 */
final class DesignDocs {
    private DesignDocs() {
    }

    static void ensure(CouchDbConnector db, String id, Map<String, DesignDocument.View> views) {
        for (int attempt = 0; attempt < 3; attempt++) {
            DesignDocument existing = find(db, id);
            if (existing != null && views.entrySet().stream()
                    .allMatch(v -> v.getValue().equals(existing.getViews().get(v.getKey())))) {
                return;
            }
            boolean fresh = existing == null;
            DesignDocument doc = fresh ? new DesignDocument(id) : existing;
            views.forEach(doc::addView);
            try {
                if (fresh) {
                    db.create(doc);
                } else {
                    db.update(doc);
                }
                return;
            } catch (UpdateConflictException e) {
                // another controller wrote it at the same time: read it again and compare
            }
        }
    }

    private static DesignDocument find(CouchDbConnector db, String id) {
        try {
            return db.get(DesignDocument.class, id);
        } catch (DocumentNotFoundException e) {
            return null;
        }
    }
}
