package dev.wisp.controller.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.Activation;
import dev.wisp.common.store.CouchStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ektorp.CouchDbConnector;
import org.ektorp.ViewQuery;
import org.ektorp.ViewResult;
import org.ektorp.support.DesignDocument;

/**
 * Reads activation records from the {@code activations} database; invokers write them, with the activation id
 * as the document id; the controller writes a sequence's, and its reaper those that never came. Two views,
 * created or updated at start-up, list them newest first: by namespace and
 * start, and by namespace, entity name ({@code name} or {@code package/name}, from the {@code path}
 * annotation) and start; a third lists dead-lettered records by namespace and end.
 */
public final class ActivationStore {
    private static final String DESIGN = "_design/wisp-activations";
    private static final String BY_NAMESPACE = "by_namespace";
    private static final String BY_NAME = "by_name";
    private static final String DEAD_DESIGN = "_design/wisp-deadletters";
    private static final String DEAD_BY_NAMESPACE = "by_namespace";
    /** Counts taken at most while the invoker is writing recent records (see {@link #count}). */
    private static final int COUNT_TRIES = 5;
    private static final String NAME_OF = "var name = doc.name; (doc.annotations || []).forEach(function (a) {"
            + " if (a.key === 'path' && typeof a.value === 'string') {"
            + " var p = a.value.split('/'); if (p.length > 1) { name = p.slice(1).join('/'); } } });";

    private final CouchStore store;
    private final CouchDbConnector db;
    private final RecentRecords justCompleted = new RecentRecords(10_000, 60_000, System::currentTimeMillis);

    /** A query over a namespace's activations; {@code name} null for all of them. Times are inclusive. */
    public record Query(String namespace, String name, long since, long upto) {
        /** Whether a record is one this query lists (as the views select it). */
        boolean matches(Activation a) {
            return a.namespace().equals(namespace) && (name == null || name.equals(entityName(a)))
                    && a.start() >= since && a.start() <= upto;
        }
    }

    /** Opens the database and ensures its views. Blocking: call at start-up, off the event loop. */
    public ActivationStore(CouchStore store) {
        this.store = store;
        this.db = store.database("activations");
        DesignDocs.ensure(db, DESIGN, Map.of(
                BY_NAMESPACE, new DesignDocument.View("function (doc) { if (doc.activationId && doc.namespace) {"
                        + " emit([doc.namespace, doc.start || 0], null); } }", "_count"),
                BY_NAME, new DesignDocument.View("function (doc) { if (doc.activationId && doc.namespace) { "
                        + NAME_OF + " emit([doc.namespace, name, doc.start || 0], null); } }", "_count")));
        // a design document of its own, so adding it does not rebuild the older views' index
        DesignDocs.ensure(db, DEAD_DESIGN, Map.of(DEAD_BY_NAMESPACE, new DesignDocument.View(
                "function (doc) { if (doc.activationId && doc.namespace && (doc.annotations || []).some("
                        + "function (a) { return a.key === 'deadLetter' && a.value === true; })) {"
                        + " emit([doc.namespace, doc.end || doc.start || 0], null); } }", "_count")));
    }

    /**
     * Stores a final record unless the activation has one; the store refuses a second document with the same
     * id, so of two writers only the first wins.
     *
     * @return true when this record was stored, false when one existed
     */
    public Future<Boolean> putIfAbsent(Activation activation) {
        return store.call(() -> CouchStore.createRecordIfAbsent(db, activation));
    }

    /** One page of a namespace's dead-lettered records (annotation {@code deadLetter}), newest first. */
    public Future<List<Activation>> deadLetters(String namespace, int skip, int limit) {
        return store.call(() -> deadRange(namespace).page(db, skip, limit).stream()
                .map(doc -> toActivation((ObjectNode) doc)).toList());
    }

    /** How many dead-lettered records a namespace has. */
    public Future<Long> countDeadLetters(String namespace) {
        return store.call(() -> deadRange(namespace).count(db));
    }

    private static ViewRange deadRange(String namespace) {
        return new ViewRange(DEAD_DESIGN, DEAD_BY_NAMESPACE, List.of(namespace), 0, Long.MAX_VALUE);
    }

    /** Which of these activations have a record, in one request. */
    public Future<Set<String>> recorded(Collection<String> activationIds) {
        if (activationIds.isEmpty()) {
            return Future.succeededFuture(Set.of());
        }
        return store.call(() -> {
            Set<String> found = new HashSet<>();
            ViewQuery byId = new ViewQuery().allDocs().keys(List.copyOf(activationIds));
            byId.setIgnoreNotFound(true);
            for (ViewResult.Row row : db.queryView(byId).getRows()) {
                var value = row.getValueAsNode();
                if (row.getId() != null && value != null && !value.path("deleted").asBoolean(false)) {
                    found.add(row.getId());
                }
            }
            return found;
        });
    }

    /**
     * The record with this activation id, if it is stored yet, or if it just came back to this controller on a
     * completion while the invoker is still writing it: a caller who got a blocking invoke's answer can read the
     * activation at once.
     */
    public Future<Optional<Activation>> get(String activationId) {
        return store.call(() -> Optional.ofNullable(db.find(ObjectNode.class, activationId))
                .map(ActivationStore::toActivation))
                .map(found -> found.isPresent() ? found : justCompleted.get(activationId));
    }

    /** Keeps a record that a completion carried, for {@link #get} until the store has it (a minute at most). */
    public void completed(Activation activation) {
        justCompleted.put(activation);
    }

    /**
     * One page of matching records, newest first. The first page also holds the records that came back to this
     * controller on completions and that the invoker may still be writing (a minute at most): a caller who got a
     * blocking invoke's answer finds that activation in the list at once, as {@link #get} finds it.
     */
    public Future<List<Activation>> list(Query query, int skip, int limit) {
        List<Activation> recent = skip == 0 ? justCompleted.matching(query::matches) : List.of();
        return store.call(() -> range(query).page(db, skip, limit).stream()
                .map(doc -> toActivation((ObjectNode) doc)).toList())
                .map(stored -> withRecent(stored, recent, limit));
    }

    /**
     * How many records match, counting the recent ones (see {@link #list}) the store does not have yet. The invoker
     * writes them meanwhile: a record that the store lacked before the count and has after it may or may not be in
     * the count, so the count is taken again (a few times at most) until no recent record arrived during it.
     */
    public Future<Long> count(Query query) {
        List<String> recent = justCompleted.matching(query::matches).stream().map(Activation::activationId).toList();
        if (recent.isEmpty()) {
            return store.call(() -> range(query).count(db));
        }
        return recorded(recent).compose(before -> countSettled(query, recent, before, COUNT_TRIES));
    }

    private Future<Long> countSettled(Query query, List<String> recent, Set<String> before, int tries) {
        return store.call(() -> range(query).count(db)).compose(stored -> recorded(recent).compose(after -> {
            if (after.equals(before) || tries <= 1) {
                return Future.succeededFuture(stored + recent.size() - after.size());
            }
            return countSettled(query, recent, after, tries - 1);
        }));
    }

    /** The stored page with the recent records it lacks, newest first, at most {@code limit}. */
    static List<Activation> withRecent(List<Activation> stored, List<Activation> recent, int limit) {
        Set<String> ids = new HashSet<>();
        stored.forEach(a -> ids.add(a.activationId()));
        List<Activation> missing = recent.stream().filter(a -> !ids.contains(a.activationId())).toList();
        if (missing.isEmpty()) {
            return stored;
        }
        List<Activation> merged = new ArrayList<>(stored);
        merged.addAll(missing);
        merged.sort(Comparator.comparingLong(Activation::start).reversed());
        return List.copyOf(merged.subList(0, Math.min(limit, merged.size())));
    }

    /** The entity name a record is listed under: {@code name}, or {@code package/name} from its path. */
    static String entityName(Activation a) {
        return a.annotation("path").filter(JsonNode::isTextual).map(JsonNode::asText)
                .map(path -> path.split("/", -1))
                .filter(parts -> parts.length > 1)
                .map(parts -> String.join("/", Arrays.asList(parts).subList(1, parts.length)))
                .orElse(a.name());
    }

    private static ViewRange range(Query q) {
        return q.name() == null
                ? new ViewRange(DESIGN, BY_NAMESPACE, List.of(q.namespace()), q.since(), q.upto())
                : new ViewRange(DESIGN, BY_NAME, List.of(q.namespace(), q.name()), q.since(), q.upto());
    }

    private static Activation toActivation(ObjectNode doc) {
        doc.remove("_id");
        doc.remove("_rev");
        return Json.convert(doc, Activation.class);
    }
}
