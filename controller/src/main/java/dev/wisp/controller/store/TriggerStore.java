package dev.wisp.controller.store;

import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.TriggerRule;
import dev.wisp.common.entity.WhiskRule;
import dev.wisp.common.entity.WhiskTrigger;
import dev.wisp.common.error.WispException;
import dev.wisp.common.store.CouchStore;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.ektorp.CouchDbConnector;
import org.ektorp.support.DesignDocument;

/**
 * Triggers and rules in the {@code whisks} database, keyed by their path like actions (so one name is one
 * entity). A trigger's {@code rules} map is the truth a fire obeys; a rule's own document names its trigger and
 * action. Changes to the map re-read the trigger and retry on a conflicting write, so concurrent rule changes on
 * one trigger do not lose each other.
 */
public final class TriggerStore {
    private static final String DESIGN = "_design/wisp-triggers";
    private static final int MAP_RETRIES = 10;

    private final CouchStore store;
    private final Docs<WhiskTrigger> triggers;
    private final Docs<WhiskRule> rules;

    /** A trigger or rule with the revision it was read at. */
    public record Stored<T>(T entity, String revision) {
    }

    /** The triggers or the rules: read, create or replace, delete, and a namespace's, paged and counted. */
    public final class Docs<T> {
        private final TypedDocs<T> docs;

        private Docs(TypedDocs<T> docs) {
            this.docs = docs;
        }

        /** The entity at the path; empty when there is none (or another kind of entity has the name). */
        public Future<Optional<Stored<T>>> get(EntityPath path) {
            return store.call(() -> docs.get(path.docId()).map(v -> new Stored<>(v.entity(), v.revision())));
        }

        /** Creates the entity or replaces it at {@code expectedRevision}; fails with CONFLICT as the store does. */
        public Future<String> put(EntityPath path, T entity, String expectedRevision) {
            return store.call(() -> {
                if (expectedRevision == null && docs.takenByOther(path.docId())) {
                    throw WispException.conflict(EntityStore.NOT_IN_COLLECTION);
                }
                return docs.put(path.docId(), entity, expectedRevision);
            });
        }

        public Future<Void> delete(EntityPath path, String revision) {
            return store.call(() -> {
                docs.delete(path.docId(), revision);
                return null;
            });
        }

        /** One page of a namespace's entities, most recently updated first. */
        public Future<List<T>> page(String namespace, int skip, int limit) {
            return store.call(() -> docs.page(namespace, skip, limit));
        }

        public Future<Long> count(String namespace) {
            return store.call(() -> docs.count(namespace));
        }
    }

    /** Opens the database and ensures its views. Blocking: call at start-up, off the event loop. */
    public TriggerStore(CouchStore store) {
        this.store = store;
        CouchDbConnector db = store.database("whisks");
        DesignDocs.ensure(db, DESIGN, Map.of(
                "triggers", new DesignDocument.View(TypedDocs.mapFunction("trigger"), "_count"),
                "rules", new DesignDocument.View(TypedDocs.mapFunction("rule"), "_count")));
        this.triggers = new Docs<>(new TypedDocs<>(db, "trigger", WhiskTrigger.class, DESIGN, "triggers"));
        this.rules = new Docs<>(new TypedDocs<>(db, "rule", WhiskRule.class, DESIGN, "rules"));
    }

    public Docs<WhiskTrigger> triggers() {
        return triggers;
    }

    public Docs<WhiskRule> rules() {
        return rules;
    }

    /**
     * Changes a trigger's rules map, re-reading and retrying when another writer got there first.
     *
     * @return the trigger as stored; fails with NOT_FOUND when the trigger does not exist
     */
    public Future<WhiskTrigger> updateRules(EntityPath trigger, UnaryOperator<Map<String, TriggerRule>> change) {
        return store.call(() -> {
            for (int attempt = 0; ; attempt++) {
                TypedDocs.Versioned<WhiskTrigger> t = triggers.docs.get(trigger.docId()).orElseThrow(() ->
                        WispException.notFound("The trigger '" + trigger.relative() + "' does not exist."));
                WhiskTrigger changed = t.entity().withRules(change.apply(new LinkedHashMap<>(t.entity().rules())));
                try {
                    triggers.docs.put(trigger.docId(), changed, t.revision());
                    return changed;
                } catch (WispException e) {
                    if (attempt >= MAP_RETRIES) {
                        throw e;
                    }
                }
            }
        });
    }
}
