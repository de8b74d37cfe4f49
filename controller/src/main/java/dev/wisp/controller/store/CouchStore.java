package dev.wisp.controller.store;

import dev.wisp.common.error.ErrorKind;
import dev.wisp.common.error.WispException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.net.MalformedURLException;
import java.util.concurrent.Callable;
import org.ektorp.CouchDbConnector;
import org.ektorp.DbAccessException;
import org.ektorp.CouchDbInstance;
import org.ektorp.http.StdHttpClient;
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

    public CouchStore(Vertx vertx, String url, String user, String password, String dbPrefix) {
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
        this.workers = vertx.createSharedWorkerExecutor("wisp-store", 32);
        this.prefix = dbPrefix;
    }

    /** Opens (creating if needed) one database. Blocking: call at start-up off the event loop. */
    public CouchDbConnector database(String name) {
        CouchDbConnector db = new StdCouchDbConnector(prefix + name, instance);
        db.createDatabaseIfNotExists();
        return db;
    }

    /** Runs a blocking store call on the store's worker pool. */
    public <T> Future<T> call(Callable<T> blocking) {
        return workers.executeBlocking(blocking, false).recover(e -> Future.failedFuture(
                e instanceof DbAccessException ? new WispException(ErrorKind.UNAVAILABLE,
                        "The store did not answer in time; try again later.", e) : e));
    }

    @Override
    public void close() {
        workers.close();
        http.shutdown();
    }
}
