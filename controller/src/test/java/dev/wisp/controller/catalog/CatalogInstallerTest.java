package dev.wisp.controller.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Exec;
import dev.wisp.common.entity.KeyValue;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.entity.WhiskPackage;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CatalogInstallerTest {
    private static final EntityPath UTILS = EntityPath.of(SystemCatalog.NAMESPACE, "utils");

    /** The store as a map of document id to entity and revision number. */
    private static final class MemoryStore implements CatalogStore {
        final Map<String, Stored<?>> docs = new TreeMap<>();
        int writes;

        @SuppressWarnings("unchecked")
        private <T> Future<Optional<Stored<T>>> get(EntityPath path, Class<T> type) {
            Stored<?> s = docs.get(path.docId());
            return Future.succeededFuture(s != null && type.isInstance(s.entity())
                    ? Optional.of((Stored<T>) s) : Optional.empty());
        }

        private Future<Void> put(EntityPath path, Object entity, String revision) {
            Stored<?> old = docs.get(path.docId());
            if (old == null ? revision != null : !old.revision().equals(revision)) {
                return Future.failedFuture(new IllegalStateException("conflict on " + path));
            }
            writes++;
            docs.put(path.docId(), new Stored<>(entity, String.valueOf(old == null ? 1
                    : Integer.parseInt(old.revision()) + 1)));
            return Future.succeededFuture();
        }

        @Override
        public Entities<WhiskPackage> packages() {
            return Entities.of(path -> get(path, WhiskPackage.class), this::put);
        }

        @Override
        public Entities<WhiskAction> actions() {
            return Entities.of(path -> get(path, WhiskAction.class), this::put);
        }

        @Override
        public Future<Void> deleteAction(EntityPath path, String revision) {
            writes++;
            docs.remove(path.docId());
            return Future.succeededFuture();
        }

        @Override
        public Future<List<String>> actionNames(EntityPath pkg) {
            List<String> names = new ArrayList<>();
            docs.values().forEach(s -> {
                if (s.entity() instanceof WhiskAction a && a.namespace().equals(pkg.docId())) {
                    names.add(a.name());
                }
            });
            return Future.succeededFuture(names);
        }

        WhiskAction action(String name) {
            return (WhiskAction) docs.get(UTILS.docId() + "/" + name).entity();
        }
    }

    @Test
    void theBundledCatalogHasOpenWhisksUtilities() {
        SystemCatalog catalog = SystemCatalog.bundled();
        SystemCatalog.Package utils = catalog.packages().stream().filter(p -> p.pkg().name().equals("utils"))
                .findFirst().orElseThrow();
        assertTrue(utils.pkg().publish());
        assertEquals(List.of("echo", "cat", "sort", "head", "split", "date", "namespace", "hosturl", "smash"),
                utils.actions().stream().map(WhiskAction::name).toList());
        for (WhiskAction a : utils.actions()) {
            assertEquals("whisk.system/utils", a.namespace());
            assertTrue(a.exec().code().contains("function main"), a.name());
            assertFalse(a.providesApiKey(), a.name());
            assertTrue(a.annotations().stream().anyMatch(kv -> kv.key().equals("description")), a.name());
        }
    }

    @Test
    void aSecondRunChangesNothing() {
        MemoryStore store = new MemoryStore();
        List<EntityPath> announced = new ArrayList<>();
        CatalogInstaller installer = new CatalogInstaller(store, p -> {
            announced.add(p);
            return Future.succeededFuture();
        });
        SystemCatalog catalog = SystemCatalog.bundled();
        CatalogInstaller.Report first = installer.install(catalog).result();
        int entities = catalog.packages().stream().mapToInt(p -> 1 + p.actions().size()).sum();
        assertEquals(entities, first.changes().size());
        assertTrue(first.changes().stream().allMatch(c -> c.what().equals("created")), first.toString());
        assertEquals(entities, store.docs.size());
        assertEquals(entities, announced.size());
        assertEquals("0.0.1", store.action("echo").version().toString());

        int writes = store.writes;
        CatalogInstaller.Report second = installer.install(catalog).result();
        assertEquals(List.of(), second.changes());
        assertEquals(entities, second.unchanged());
        assertEquals(writes, store.writes, "an up-to-date catalog is not written again");
        assertEquals(entities, store.docs.size(), "nothing is duplicated");
    }

    @Test
    void aChangedBundleUpdatesWhatDiffersAndDeletesWhatItDropped() {
        MemoryStore store = new MemoryStore();
        CatalogInstaller installer = new CatalogInstaller(store, p -> Future.succeededFuture());
        WhiskPackage pkg = new WhiskPackage(SystemCatalog.NAMESPACE, "utils", dev.wisp.common.entity.SemVer.INITIAL,
                true, null, List.of(), List.of(), 0);
        installer.install(SystemCatalog.of(List.of(new SystemCatalog.Package(pkg, List.of(
                action("echo", "function main(p) { return p; }"), action("old", "function main() { return {}; }"))))))
                .result();

        CatalogInstaller.Report report = installer.install(SystemCatalog.of(List.of(new SystemCatalog.Package(pkg,
                List.of(action("echo", "function main(p) { return {echo: p}; }"),
                        action("new", "function main() { return {}; }"))))))
                .result();
        assertEquals(List.of("updated /whisk.system/utils/echo", "created /whisk.system/utils/new",
                "deleted /whisk.system/utils/old"), report.changes().stream().map(Object::toString).toList());
        assertEquals(1, report.unchanged(), "the package itself did not change");
        assertEquals("0.0.2", store.action("echo").version().toString());
        assertTrue(store.action("echo").exec().code().contains("echo: p"));
        assertFalse(store.docs.containsKey("whisk.system/utils/old"));
    }

    private static WhiskAction action(String name, String code) {
        return new WhiskAction("whisk.system/utils", name, dev.wisp.common.entity.SemVer.INITIAL, false,
                new Exec("nodejs:18", code, null, null, null, null),
                List.of(new KeyValue("description", TextNode.valueOf(name))), List.of(), null, 0);
    }
}
