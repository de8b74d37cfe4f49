package dev.wisp.controller.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.store.CouchStore;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.ektorp.CouchDbConnector;
import org.ektorp.DocumentNotFoundException;
import org.ektorp.UpdateConflictException;
import org.ektorp.ViewQuery;
import org.ektorp.ViewResult;
import org.ektorp.support.DesignDocument;

/**
 * Idempotency keys in the {@code idempotency} database, one document per namespace and key. Creating a document
 * is the race-free claim (CouchDB refuses a second create of the same id); every change after that names the
 * revision it replaces, so of two controllers racing on one key exactly one wins.
 */
public final class IdempotencyStore {
    private static final String DESIGN = "_design/wisp-idempotency";
    private static final String BY_ACCEPTED = "by_accepted";

    private final CouchStore store;
    private final CouchDbConnector db;

    /**
     * One claimed key.
     *
     * @param id          the document id (namespace and a hash of the key)
     * @param fingerprint hash of the request the key was first used with
     * @param acceptedAt  epoch ms of the first claim (the activation's {@code arrivedAt})
     * @param leaseAt     epoch ms of the latest claim of the right to publish
     * @param published   whether Kafka confirmed the activation
     * @param rev         the document revision, null before it is stored
     */
    public record Entry(String id, String namespace, String activationId, String fingerprint, long acceptedAt,
                        long leaseAt, boolean published, String rev) {
        public Entry {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(activationId, "activationId");
            Objects.requireNonNull(fingerprint, "fingerprint");
        }

        public Entry withLease(long at, boolean isPublished) {
            return new Entry(id, namespace, activationId, fingerprint, acceptedAt, at, isPublished, rev);
        }
    }

    /** Opens (creating) the database and its view. Blocking: call at start-up, off the event loop. */
    public IdempotencyStore(CouchStore store) {
        this.store = store;
        this.db = store.database("idempotency");
        DesignDocs.ensure(db, DESIGN, Map.of(BY_ACCEPTED, new DesignDocument.View(
                "function (doc) { if (doc.activationId && doc.fingerprint) { emit(doc.acceptedAt || 0, doc._rev); } }")));
    }

    /**
     * Deletes up to {@code max} entries first used before {@code cutoff} (epoch ms); an entry changed meanwhile
     * stays.
     *
     * @return how many were deleted
     */
    public Future<Integer> deleteAcceptedBefore(long cutoff, int max) {
        return store.call(() -> {
            ViewQuery q = new ViewQuery().designDocId(DESIGN).viewName(BY_ACCEPTED).endKey(cutoff).limit(max);
            int deleted = 0;
            for (ViewResult.Row row : db.queryView(q).getRows()) {
                try {
                    db.delete(row.getId(), row.getValue());
                    deleted++;
                } catch (UpdateConflictException | DocumentNotFoundException e) {
                    // taken over or deleted by another controller meanwhile
                }
            }
            return deleted;
        });
    }

    /**
     * Creates the entry unless its id exists.
     *
     * @return the stored entry: {@code proposed} with its revision when this call created it, else the existing
     *         one; empty when the existing one vanished between the two steps (try again)
     */
    public Future<Optional<Entry>> createOrGet(Entry proposed) {
        return store.call(() -> {
            ObjectNode doc = toDoc(proposed);
            try {
                db.create(doc);
                return Optional.of(fromDoc(doc));
            } catch (UpdateConflictException e) {
                return Optional.ofNullable(db.find(ObjectNode.class, proposed.id())).map(IdempotencyStore::fromDoc);
            }
        });
    }

    /**
     * Replaces {@code current} (by its revision) with {@code next}.
     *
     * @return the stored entry with its new revision; empty when someone changed or deleted it first
     */
    public Future<Optional<Entry>> replace(Entry current, Entry next) {
        return store.call(() -> {
            ObjectNode doc = toDoc(next);
            doc.put("_rev", current.rev());
            try {
                db.update(doc);
                return Optional.of(fromDoc(doc));
            } catch (UpdateConflictException | DocumentNotFoundException e) {
                return Optional.empty();
            }
        });
    }

    /** Deletes {@code current} unless it changed since it was read. */
    public Future<Void> delete(Entry current) {
        return store.call(() -> {
            try {
                db.delete(current.id(), current.rev());
            } catch (UpdateConflictException | DocumentNotFoundException e) {
                // changed or gone: nothing of ours to remove
            }
            return null;
        });
    }

    private static ObjectNode toDoc(Entry e) {
        ObjectNode doc = Json.object().put("_id", e.id()).put("namespace", e.namespace())
                .put("activationId", e.activationId()).put("fingerprint", e.fingerprint())
                .put("acceptedAt", e.acceptedAt()).put("leaseAt", e.leaseAt()).put("published", e.published());
        if (e.rev() != null) {
            doc.put("_rev", e.rev());
        }
        return doc;
    }

    private static Entry fromDoc(ObjectNode doc) {
        return new Entry(doc.path("_id").asText(), doc.path("namespace").asText(), doc.path("activationId").asText(),
                doc.path("fingerprint").asText(), doc.path("acceptedAt").asLong(), doc.path("leaseAt").asLong(),
                doc.path("published").asBoolean(), doc.path("_rev").asText(null));
    }
}
