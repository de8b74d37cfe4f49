package dev.wisp.common.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.vertx.Contexts;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.ektorp.CouchDbConnector;
import org.ektorp.http.HttpResponse;
import org.ektorp.http.RestTemplate;
import org.ektorp.http.StdResponseHandler;

/**
 * Creates final records in batches: records offered within {@code linger} of the first one (at most
 * {@code maxDocs}, {@code maxBytes} in all) go to the store as one {@code _bulk_docs} request, so the store and
 * this process pay for one request instead of one per record. While a request runs ({@link #MAX_IN_FLIGHT}), the
 * next batch waits for it and grows meanwhile: the busier the store, the larger its batches. Each record keeps the contract of
 * {@link CouchStore#createRecordIfAbsent}: the store takes a document only under an id it does not have yet, so a
 * record that exists is never overwritten ({@code false}: "already there"), and a record's Future succeeds only
 * once the store confirmed that document. A record the batch could not settle (the request failed as a whole,
 * or the store answered that document with another error) is written again alone, so its failure is the store's
 * answer to that document and nobody else's: a record the store refuses never takes a batch down with it.
 * Records larger than a batch's share are written alone at once.
 */
public final class RecordBatcher {
    private final Vertx vertx;
    private final CouchStore store;
    private final CouchDbConnector db;
    private final RestTemplate rest;
    private final String bulkPath;
    private final long lingerMillis;
    private final int maxDocs;
    private final int maxBytes;
    private final Object lock = new Object();
    /**
     * Batch requests in flight at most: while it runs, records gather into the next, larger batch. One: PouchDB
     * Server serves one at a time, and a request costs it as much CPU as about fifteen records in it (with two in
     * flight its CPU a record was 0.19-0.22 ms at 32-64 clients, with one 0.18).
     */
    static final int MAX_IN_FLIGHT = 1;
    private List<Pending> batch = new ArrayList<>();
    private int batchBytes;
    private long timer = -1;
    /** Requests to the store running now, and whether the gathering batch's linger has passed. Under the lock. */
    private int inFlight;
    private boolean due;

    /** One record waiting for the store, and whom to tell. */
    private record Pending(String id, byte[] json, Context context, Promise<Boolean> promise) {
        void settle(Future<Boolean> outcome) {
            Contexts.settleOn(context, outcome, promise);
        }
    }

    /**
     * @param linger   how long the first record of a batch waits for others (0: each batch leaves at once)
     * @param maxDocs  records in one batch at most
     * @param maxBytes encoded records in one batch at most; a larger record is written alone
     */
    public RecordBatcher(Vertx vertx, CouchStore store, CouchDbConnector db, long linger, int maxDocs, int maxBytes) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.store = Objects.requireNonNull(store, "store");
        this.db = Objects.requireNonNull(db, "db");
        this.rest = store.rest();
        String path = db.path();
        this.bulkPath = (path.endsWith("/") ? path : path + "/") + "_bulk_docs";
        this.lingerMillis = linger;
        this.maxDocs = Math.max(1, maxDocs);
        this.maxBytes = maxBytes;
    }

    /**
     * Creates the document {@code id} holding {@code json} (a JSON object without {@code _id}) unless the store
     * has one with that id. Completes on the caller's Vert.x context.
     *
     * @return true when this document was stored, false when one existed
     */
    public Future<Boolean> createIfAbsent(String id, byte[] json) {
        Pending p = new Pending(id, withId(id, json), Vertx.currentContext(), Promise.promise());
        if (p.json().length > maxBytes / 2) {
            p.settle(single(p));
            return p.promise().future();
        }
        List<Pending> ready;
        synchronized (lock) {
            batch.add(p);
            batchBytes += p.json().length + 1;
            if (lingerMillis <= 0) {
                due = true;
            } else if (timer < 0 && batch.size() == 1) {
                timer = vertx.setTimer(lingerMillis, t -> {
                    List<Pending> lingered;
                    synchronized (lock) {
                        timer = -1;
                        due = true;
                        lingered = takeIfReady();
                    }
                    send(lingered);
                });
            }
            ready = takeIfReady();
        }
        send(ready);
        return p.promise().future();
    }

    /**
     * The gathering batch, taken when it should leave now: it is full, or its linger passed and fewer than
     * {@link #MAX_IN_FLIGHT} requests run (else it leaves when one ends, larger); otherwise null. Holds the lock.
     */
    private List<Pending> takeIfReady() {
        boolean full = batch.size() >= maxDocs || batchBytes >= maxBytes;
        if (batch.isEmpty() || !(full || due && inFlight < MAX_IN_FLIGHT)) {
            return null;
        }
        List<Pending> taken = batch;
        batch = new ArrayList<>();
        batchBytes = 0;
        due = false;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        inFlight++;
        return taken;
    }

    /** A request ended: the batch that gathered meanwhile may leave. */
    private void ended() {
        List<Pending> next;
        synchronized (lock) {
            inFlight--;
            next = takeIfReady();
        }
        send(next);
    }

    /** Sends a batch taken by {@link #takeIfReady} (nothing when null). */
    private void send(List<Pending> taken) {
        if (taken == null) {
            return;
        }
        if (taken.size() == 1) {
            Future<Boolean> stored = single(taken.get(0));
            stored.onComplete(ar -> ended());
            taken.get(0).settle(stored);
            return;
        }
        store.call(() -> bulk(taken)).onComplete(ar -> {
            ended();
            Map<String, Boolean> answers = ar.succeeded() ? ar.result() : Map.of();
            for (Pending p : taken) {
                Boolean stored = answers.get(p.id());
                p.settle(stored != null ? Future.succeededFuture(stored) : single(p));
            }
        });
    }

    /** One record alone, as {@link CouchStore#createRecordIfAbsent} writes it. */
    private Future<Boolean> single(Pending p) {
        return store.call(() -> CouchStore.createRecordIfAbsent(db, p.id(), p.json()));
    }

    /**
     * One {@code _bulk_docs} request. Blocking.
     *
     * @return per id: true stored, false existed; a document the store answered otherwise is left out
     */
    private Map<String, Boolean> bulk(List<Pending> due) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(due.stream().mapToInt(p -> p.json().length + 1).sum() + 16);
        body.writeBytes("{\"docs\":[".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < due.size(); i++) {
            if (i > 0) {
                body.write(',');
            }
            body.writeBytes(due.get(i).json());
        }
        body.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
        return rest.post(bulkPath, new ByteArrayEntity(body.toByteArray(), ContentType.APPLICATION_JSON),
                new StdResponseHandler<Map<String, Boolean>>() {
                    @Override
                    public Map<String, Boolean> success(HttpResponse hr) throws Exception {
                        return answers(Json.mapper().readTree(hr.getContent()));
                    }
                });
    }

    /** The store's answer to a batch: {@code [{"id":..,"rev":..} | {"id":..,"error":"conflict",..}, ...]}. */
    static Map<String, Boolean> answers(JsonNode reply) {
        Map<String, Boolean> out = new HashMap<>();
        for (JsonNode doc : reply) {
            String id = doc.path("id").asText(null);
            if (id == null) {
                continue;
            }
            if (!doc.hasNonNull("error") && doc.hasNonNull("rev")) {
                out.put(id, true);
            } else if ("conflict".equals(doc.path("error").asText())) {
                out.put(id, false);
            }
        }
        return out;
    }

    /** The record's JSON object with {@code "_id"} as its first member. */
    static byte[] withId(String id, byte[] json) {
        int open = 0;
        while (open < json.length && json[open] != '{') {
            open++;
        }
        if (open == json.length) {
            throw new IllegalArgumentException("a record must be a JSON object");
        }
        byte[] head = ("{\"_id\":" + Json.mapper().getNodeFactory().textNode(id) + "").getBytes(StandardCharsets.UTF_8);
        int rest = open + 1;
        while (rest < json.length && Character.isWhitespace(json[rest])) {
            rest++;
        }
        boolean empty = rest < json.length && json[rest] == '}';
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + head.length + 1);
        out.writeBytes(head);
        if (!empty) {
            out.write(',');
        }
        out.write(json, open + 1, json.length - open - 1);
        return out.toByteArray();
    }
}
