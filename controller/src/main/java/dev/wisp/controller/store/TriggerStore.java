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
    private final TypedDocs<WhiskTrigger> triggers;
    private final TypedDocs<WhiskRule> rules;

    /** A trigger or rule with the revision it was read at. */
    public record Stored<T>(T entity, String revision) {
    }

    /** Opens the database and ensures its views. Blocking: call at start-up, off the event loop. */
    public TriggerStore(CouchStore store) {
        this.store = store;
        CouchDbConnector db = store.database("whisks");
        DesignDocs.ensure(db, DESIGN, Map.of(
                "triggers", new DesignDocument.View(TypedDocs.mapFunction("trigger"), "_count"),
                "rules", new DesignDocument.View(TypedDocs.mapFunction("rule"), "_count")));
        this.triggers = new TypedDocs<>(db, "trigger", WhiskTrigger.class, DESIGN, "triggers");
        this.rules = new TypedDocs<>(db, "rule", WhiskRule.class, DESIGN, "rules");
    }

    public Future<Optional<Stored<WhiskTrigger>>> getTrigger(EntityPath path) {
        return store.call(() -> triggers.get(path.docId()).map(v -> new Stored<>(v.entity(), v.revision())));
    }

    /** Creates a trigger or replaces it at {@code expectedRevision}; fails with CONFLICT as the store does. */
    public Future<String> putTrigger(EntityPath path, WhiskTrigger trigger, String expectedRevision) {
        return store.call(() -> {
            if (expectedRevision == null && triggers.takenByOther(path.docId())) {
                throw WispException.conflict("Resource by this name exists but is not in this collection.");
            }
            return triggers.put(path.docId(), trigger, expectedRevision);
        });
    }

    public Future<Void> deleteTrigger(EntityPath path, String revision) {
        return store.call(() -> {
            triggers.delete(path.docId(), revision);
            return null;
        });
    }

    /** One page of a namespace's triggers, most recently updated first. */
    public Future<List<WhiskTrigger>> listTriggers(String namespace, int skip, int limit) {
        return store.call(() -> triggers.page(namespace, skip, limit));
    }

    public Future<Long> countTriggers(String namespace) {
        return store.call(() -> triggers.count(namespace));
    }

    /**
     * Changes a trigger's rules map, re-reading and retrying when another writer got there first.
     *
     * @return the trigger as stored; fails with NOT_FOUND when the trigger does not exist
     */
    public Future<WhiskTrigger> updateRules(EntityPath trigger, UnaryOperator<Map<String, TriggerRule>> change) {
        return store.call(() -> {
            for (int attempt = 0; ; attempt++) {
                TypedDocs.Versioned<WhiskTrigger> t = triggers.get(trigger.docId()).orElseThrow(() ->
                        WispException.notFound("The trigger '" + trigger.relative() + "' does not exist."));
                WhiskTrigger changed = t.entity().withRules(change.apply(new LinkedHashMap<>(t.entity().rules())));
                try {
                    triggers.put(trigger.docId(), changed, t.revision());
                    return changed;
                } catch (WispException e) {
                    if (attempt >= MAP_RETRIES) {
                        throw e;
                    }
                }
            }
        });
    }

    public Future<Optional<Stored<WhiskRule>>> getRule(EntityPath path) {
        return store.call(() -> rules.get(path.docId()).map(v -> new Stored<>(v.entity(), v.revision())));
    }

    /** Creates a rule or replaces it at {@code expectedRevision}; fails with CONFLICT as the store does. */
    public Future<String> putRule(EntityPath path, WhiskRule rule, String expectedRevision) {
        return store.call(() -> {
            if (expectedRevision == null && rules.takenByOther(path.docId())) {
                throw WispException.conflict("Resource by this name exists but is not in this collection.");
            }
            return rules.put(path.docId(), rule, expectedRevision);
        });
    }

    public Future<Void> deleteRule(EntityPath path, String revision) {
        return store.call(() -> {
            rules.delete(path.docId(), revision);
            return null;
        });
    }

    /** One page of a namespace's rules, most recently updated first. */
    public Future<List<WhiskRule>> listRules(String namespace, int skip, int limit) {
        return store.call(() -> rules.page(namespace, skip, limit));
    }

    public Future<Long> countRules(String namespace) {
        return store.call(() -> rules.count(namespace));
    }
}
