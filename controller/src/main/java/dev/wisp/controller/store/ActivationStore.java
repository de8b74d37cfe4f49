package dev.wisp.controller.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.Activation;
import io.vertx.core.Future;
import java.util.Optional;
import org.ektorp.CouchDbConnector;

/** Reads activation records from the {@code activations} database; invokers write them. */
public final class ActivationStore {
    private final CouchStore store;
    private final CouchDbConnector db;

    public ActivationStore(CouchStore store) {
        this.store = store;
        this.db = store.database("activations");
    }

    /** The record with this activation id, if it is stored yet. */
    public Future<Optional<Activation>> get(String activationId) {
        return store.call(() -> {
            ObjectNode doc = db.find(ObjectNode.class, activationId);
            if (doc == null) {
                return Optional.empty();
            }
            doc.remove("_id");
            doc.remove("_rev");
            return Optional.of(Json.convert(doc, Activation.class));
        });
    }
}
