package dev.wisp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.store.CouchStore;
import dev.wisp.controller.store.ControllerStores;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.ektorp.CouchDbConnector;
import org.ektorp.CouchDbInstance;
import org.ektorp.http.HttpClient;
import org.ektorp.http.StdHttpClient;
import org.ektorp.impl.StdCouchDbConnector;
import org.ektorp.impl.StdCouchDbInstance;
import org.junit.jupiter.api.Test;

/**
 * Three controllers starting at the same moment on a new store (the real one, under a prefix of this test's own):
 * each opens all its stores at once, so a dozen threads race to create the same databases and views, and every one
 * of them must start.
 */
class StoreOpeningIT {

    @Test
    void controllersStartingTogetherOnANewStoreAllOpenIt() throws Exception {
        String url = WispFixture.get().settings().string("store.url", null);
        String prefix = "it_open_" + UUID.randomUUID().toString().substring(0, 8) + "_";
        Vertx vertx = Vertx.vertx();
        HttpClient http = new StdHttpClient.Builder().url(url).build();
        CouchDbInstance instance = new StdCouchDbInstance(http);
        List<CouchStore> couches = new ArrayList<>();
        try {
            List<CompletableFuture<ControllerStores>> controllers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                CouchStore couch = new CouchStore(vertx, url, null, null, prefix);
                couches.add(couch);
                controllers.add(ControllerStores.opening(couch));
            }
            for (CompletableFuture<ControllerStores> c : controllers) {
                ControllerStores stores = ControllerStores.await(c);
                // each works: an unknown key is looked up and not found
                assertTrue(stores.subjects().findByUuid(UUID.randomUUID().toString()).await().isEmpty());
            }

            Set<String> databases = new TreeSet<>();
            for (String db : instance.getAllDatabases()) {
                if (db.startsWith(prefix)) {
                    databases.add(db.substring(prefix.length()));
                }
            }
            assertEquals(Set.of("activations", "apis", "idempotency", "subjects", "whisks"), databases);
            CouchDbConnector whisks = new StdCouchDbConnector(prefix + "whisks", instance);
            for (String design : List.of("wisp-entities", "wisp-packages", "wisp-triggers", "wisp-alarms")) {
                assertTrue(whisks.contains("_design/" + design), "whisks lacks _design/" + design);
            }
        } finally {
            for (String db : instance.getAllDatabases()) {
                if (db.startsWith(prefix)) {
                    instance.deleteDatabase(db);
                }
            }
            http.shutdown();
            couches.forEach(CouchStore::close);
            vertx.close().await();
        }
    }
}
