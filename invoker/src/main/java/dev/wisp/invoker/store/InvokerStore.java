package dev.wisp.invoker.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.Activation;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.store.CouchStore;
import dev.wisp.common.store.RecordBatcher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ektorp.CouchDbConnector;
import org.ektorp.DbAccessException;
import org.ektorp.DocumentNotFoundException;

/**
 * What the invoker reads and writes in the store: actions at an exact revision (cached, since a revision never
 * changes) and activation records, whose document id is the activation id so each activation has at most one.
 * Blocking Ektorp calls run on the {@code wisp-invoker-store} worker pool.
 */
public final class InvokerStore implements AutoCloseable {
    /** How Ektorp words a store's error answer: {@code 413:Payload Too Large ...}. */
    private static final Pattern ANSWER = Pattern.compile("(\\d{3}):");

    private static final int CACHE_SIZE = 512;
    /**
     * Records stored together: those finishing within the linger ({@code invoker.record.linger}) of the first go
     * to the store as one request (a blocking caller does not wait for it: the record rides on the completion, and
     * the controller that gets it answers reads of it until the store has it), at most this many, this large.
     */
    static final int RECORD_BATCH_DOCS = 250;
    static final int RECORD_BATCH_BYTES = 1024 * 1024;

    private final CouchStore store;
    private final CouchDbConnector whisks;
    private final CouchDbConnector activations;
    private final RecordBatcher records;
    /** Actions by {@code docId@revision}: a revision never changes, so entries only leave to make room. */
    private final Cache<String, WhiskAction> actions = CacheBuilder.newBuilder().maximumSize(CACHE_SIZE).build();

    /** Connects and creates the databases if needed. Blocking: call at start-up, off the event loop. */
    public InvokerStore(Vertx vertx, String url, String user, String password, String prefix, Duration recordLinger) {
        this.store = new CouchStore(vertx, url, user, password, prefix, "wisp-invoker-store");
        this.whisks = store.database("whisks");
        this.activations = store.database("activations");
        this.records = new RecordBatcher(vertx, store, activations, recordLinger.toMillis(), RECORD_BATCH_DOCS,
                RECORD_BATCH_BYTES);
    }

    private <T> Future<T> call(Callable<T> blocking) {
        return store.call(blocking);
    }

    /**
     * Whether a failure is the store refusing this document (400, or 413 for a document over its largest size),
     * which trying again will not change; a store that cannot be reached, is slow, fails on its side (5xx, e.g.
     * its disk is full), or refuses every document alike (401 or 403 after its credentials changed, 404 for a
     * missing database, 429) may take the same document later.
     */
    public static boolean refused(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException) {
                return false;
            }
        }
        String answer = answer(failure);
        if (answer == null) {
            return false;
        }
        Matcher status = ANSWER.matcher(answer);
        return status.lookingAt() && (status.group(1).equals("400") || status.group(1).equals("413"));
    }

    /**
     * The store's own answer inside a failure ({@code 413:Payload Too Large ...}; CouchStore reports the store's
     * failures as UNAVAILABLE, with it inside), or null when the store gave none.
     */
    public static String answer(Throwable failure) {
        Throwable t = failure;
        while (t != null && !(t instanceof DbAccessException)) {
            t = t.getCause();
        }
        return t == null ? null : t.getMessage();
    }

    /**
     * Keeps an action the controller sent along with an activation as the one at this revision (unless one is
     * kept already), so the revision's later activations need not load it; returns the action to run.
     */
    public WhiskAction keep(String docId, String revision, WhiskAction shipped) {
        WhiskAction kept = actions.asMap().putIfAbsent(docId + "@" + revision, shipped);
        return kept == null ? shipped : kept;
    }

    /** The action document at exactly this revision; empty when it no longer exists. */
    public Future<Optional<WhiskAction>> action(String docId, String revision) {
        String key = docId + "@" + revision;
        WhiskAction cached = actions.getIfPresent(key);
        if (cached != null) {
            return Future.succeededFuture(Optional.of(cached));
        }
        return call(() -> {
            try {
                ObjectNode doc = whisks.get(ObjectNode.class, docId, revision);
                doc.remove("_id");
                doc.remove("_rev");
                doc.remove("entityType");
                WhiskAction action = Json.convert(doc, WhiskAction.class);
                actions.put(key, action);
                return Optional.of(action);
            } catch (DocumentNotFoundException e) {
                return Optional.empty();
            }
        });
    }

    /**
     * Stores the final record of an activation unless one exists.
     *
     * @return the record now stored: this one, or the one an earlier attempt stored first
     */
    public Future<Activation> putActivation(Activation activation) {
        return putActivation(activation, Json.encode(activation));
    }

    /**
     * As {@link #putActivation(Activation)}, with the record already encoded ({@code encoded} is
     * {@code activation} as JSON), so that it is not encoded again.
     */
    public Future<Activation> putActivation(Activation activation, byte[] encoded) {
        return records.createIfAbsent(activation.activationId(), encoded).compose(created -> created
                ? Future.succeededFuture(activation)
                : call(() -> existing(activation.activationId()).orElse(activation)));
    }

    /** The stored record of an activation, if any. */
    public Future<Optional<Activation>> activation(String activationId) {
        return call(() -> existing(activationId));
    }

    private Optional<Activation> existing(String activationId) {
        ObjectNode doc = activations.find(ObjectNode.class, activationId);
        if (doc == null) {
            return Optional.empty();
        }
        doc.remove("_id");
        doc.remove("_rev");
        return Optional.of(Json.convert(doc, Activation.class));
    }

    @Override
    public void close() {
        store.close();
    }
}
