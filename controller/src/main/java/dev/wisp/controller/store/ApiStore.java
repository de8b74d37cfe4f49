package dev.wisp.controller.store;

import dev.wisp.common.store.CouchStore;
import dev.wisp.controller.route.StoredApi;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ektorp.CouchDbConnector;
import org.ektorp.support.DesignDocument;

/**
 * API routes in the {@code apis} database: one document per namespace and base path (its id
 * {@code namespace + basePath}), holding the API's swagger. Listed per namespace through a view keyed
 * {@code [namespace, updated]}.
 */
public final class ApiStore {
    private static final String DESIGN = "_design/wisp-apis";
    /** More APIs than a namespace may have; a create beyond it is refused. */
    public static final int MAX_APIS = 1_000;

    private final CouchStore store;
    private final TypedDocs<StoredApi> apis;

    /** An API with the revision it was read at. */
    public record Stored(StoredApi api, String revision) {
    }

    /** Opens the database and ensures its view. Blocking: call at start-up, off the event loop. */
    public ApiStore(CouchStore store) {
        this.store = store;
        CouchDbConnector db = store.database("apis");
        DesignDocs.ensure(db, DESIGN, Map.of("apis", new DesignDocument.View(TypedDocs.mapFunction("api"), "_count")));
        this.apis = new TypedDocs<>(db, "api", StoredApi.class, DESIGN, "apis");
    }

    public Future<Optional<Stored>> get(String namespace, String basePath) {
        return store.call(() -> apis.get(id(namespace, basePath)).map(v -> new Stored(v.entity(), v.revision())));
    }

    /** Creates the API or replaces it at {@code expectedRevision}; fails with CONFLICT when another write won. */
    public Future<String> put(StoredApi api, String expectedRevision) {
        return store.call(() -> apis.put(id(api.namespace(), api.basePath()), api, expectedRevision));
    }

    public Future<Void> delete(String namespace, String basePath, String revision) {
        return store.call(() -> {
            apis.delete(id(namespace, basePath), revision);
            return null;
        });
    }

    /** A namespace's APIs, most recently changed first. */
    public Future<List<StoredApi>> list(String namespace) {
        return store.call(() -> apis.page(namespace, 0, MAX_APIS));
    }

    private static String id(String namespace, String basePath) {
        return namespace + basePath;
    }
}
