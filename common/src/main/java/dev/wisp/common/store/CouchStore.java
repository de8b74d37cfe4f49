package dev.wisp.common.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.Activation;
import dev.wisp.common.error.ErrorKind;
import dev.wisp.common.error.WispException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.net.MalformedURLException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.ektorp.CouchDbConnector;
import org.ektorp.DbAccessException;
import org.ektorp.UpdateConflictException;
import org.ektorp.CouchDbInstance;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.ektorp.http.HttpResponse;
import org.ektorp.http.RestTemplate;
import org.ektorp.http.StdHttpClient;
import org.ektorp.http.StdResponseHandler;
import org.ektorp.impl.StdCouchDbConnector;
import org.ektorp.impl.StdCouchDbInstance;

/**
 * The connection to the CouchDB-API server and the worker pool every blocking Ektorp call runs on. Each store
 * method returns a Future completed on the caller's Vert.x context.
 */
public final class CouchStore implements AutoCloseable {
    private final org.ektorp.http.HttpClient http;
    private final CouchDbInstance instance;
    private final WorkerExecutor workers;
    private final String prefix;
    private final RestTemplate rest;

    public CouchStore(Vertx vertx, String url, String user, String password, String dbPrefix) {
        this(vertx, url, user, password, dbPrefix, "wisp-store");
    }

    /** @param pool the name of the worker pool its blocking calls run on */
    public CouchStore(Vertx vertx, String url, String user, String password, String dbPrefix, String pool) {
        try {
            StdHttpClient.Builder b = new StdHttpClient.Builder().url(url).caching(false).maxConnections(64)
                    .connectionTimeout(5_000).socketTimeout(30_000);
            if (user != null && !user.isEmpty()) {
                b.username(user).password(password);
            }
            this.http = b.build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("bad store url " + url, e);
        }
        this.instance = new StdCouchDbInstance(http);
        this.rest = new RestTemplate(http);
        this.workers = vertx.createSharedWorkerExecutor(pool, 32);
        this.prefix = dbPrefix;
    }

    /** Opens (creating if needed) one database. Blocking: call at start-up off the event loop. */
    public CouchDbConnector database(String name) {
        CouchDbConnector db = new StdCouchDbConnector(prefix + name, instance);
        db.createDatabaseIfNotExists();
        return db;
    }

    /**
     * Creates the document of an activation's final record, whose id is the activation id, unless the activation
     * has one: the store refuses a second document with the same id, so of two writers only the first wins.
     * Blocking: call inside {@link #call}.
     *
     * @return true when this record was stored, false when one existed
     */
    public static boolean createRecordIfAbsent(CouchDbConnector db, Activation record) {
        ObjectNode doc = (ObjectNode) Json.toTree(record);
        doc.put("_id", record.activationId());
        try {
            db.create(doc);
            return true;
        } catch (UpdateConflictException e) {
            return false;
        }
    }

    /**
     * As {@link #createRecordIfAbsent(CouchDbConnector, Activation)}, for a record already encoded: {@code json}
     * is the document, {@code _id} included. Blocking: call inside {@link #call}.
     */
    public static boolean createRecordIfAbsent(CouchDbConnector db, String id, byte[] json) {
        String path = db.path();
        path = (path.endsWith("/") ? path : path + "/") + URLEncoder.encode(id, StandardCharsets.UTF_8);
        try {
            return new RestTemplate(db.getConnection()).put(path,
                    new ByteArrayEntity(json, ContentType.APPLICATION_JSON), new StdResponseHandler<Boolean>() {
                        @Override
                        public Boolean success(HttpResponse hr) {
                            return true;
                        }
                    });
        } catch (UpdateConflictException e) {
            return false;
        }
    }

    /** Raw requests to the store, on its connection pool. Blocking: call inside {@link #call}. */
    RestTemplate rest() {
        return rest;
    }

    /** Runs a blocking store call on the store's worker pool; the store's own failures become UNAVAILABLE. */
    public <T> Future<T> call(Callable<T> blocking) {
        return workers.executeBlocking(blocking, false).recover(e -> Future.failedFuture(
                e instanceof DbAccessException d ? translate(d) : e));
    }

    /**
     * The store's failure as a caller should see it: a document too large for the store is the caller's to
     * shrink (413, naming the store's answer); anything else passes (503): the store is away, slow or failing.
     */
    static WispException translate(DbAccessException e) {
        String answer = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        if (answer.startsWith("413:")) {
            return new WispException(ErrorKind.PAYLOAD_TOO_LARGE, "The store refused the document as too large ("
                    + answer + "); its largest is 8 MB in CouchDB's default configuration.", e);
        }
        return new WispException(ErrorKind.UNAVAILABLE, answer.matches("\\d{3}:.*")
                ? "The store failed (" + answer + "); try again later."
                : "The store did not answer in time; try again later.", e);
    }

    @Override
    public void close() {
        workers.close();
        http.shutdown();
    }
}
