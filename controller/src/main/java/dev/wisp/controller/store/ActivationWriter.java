package dev.wisp.controller.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.Activation;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.ektorp.ViewQuery;
import org.ektorp.ViewResult;
import org.ektorp.CouchDbConnector;
import org.ektorp.UpdateConflictException;

/**
 * Writes the activation records a controller produces itself (a trigger fire's record), with the activation id
 * as the document id so that each id has at most one record: a second write of the same id keeps the first.
 */
public final class ActivationWriter {
    private final CouchStore store;
    private final CouchDbConnector db;

    /** Opens the database. Blocking: call at start-up, off the event loop. */
    public ActivationWriter(CouchStore store) {
        this.store = store;
        this.db = store.database("activations");
    }

    /** Stores the record unless one with its id exists; completes either way once a record is stored. */
    public Future<Void> putIfAbsent(Activation activation) {
        return store.call(() -> {
            ObjectNode doc = (ObjectNode) Json.toTree(activation);
            doc.put("_id", activation.activationId());
            try {
                db.create(doc);
            } catch (UpdateConflictException e) {
                // an earlier attempt stored it first
            }
            return null;
        });
    }

    /** Which of these activation ids already have a record; one store request for all of them. */
    public Future<Set<String>> stored(Collection<String> activationIds) {
        if (activationIds.isEmpty()) {
            return Future.succeededFuture(Set.of());
        }
        return store.call(() -> {
            ViewQuery q = new ViewQuery().allDocs().keys(activationIds);
            q.setIgnoreNotFound(true);
            Set<String> found = new HashSet<>();
            for (ViewResult.Row row : db.queryView(q).getRows()) {
                var value = row.getValueAsNode();
                if (row.getId() != null && value != null && !value.path("deleted").asBoolean(false)) {
                    found.add(row.getId());
                }
            }
            return found;
        });
    }
}
