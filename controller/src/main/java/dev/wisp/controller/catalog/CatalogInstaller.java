package dev.wisp.controller.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.entity.WhiskPackage;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Puts a {@link SystemCatalog} into the store, idempotently: an entity that is missing is created (version
 * 0.0.1), one that differs from the bundled one in anything but its version and time is replaced with the next
 * version, one that is the same is left alone, and an action in a catalog package that the bundle no longer has
 * is deleted. So running it on every start, or again by hand, changes nothing once the store is up to date, and
 * never makes a second copy of anything (an entity's document id is its path). One entity at a time, in order:
 * each package before its actions.
 */
public final class CatalogInstaller {
    private final CatalogStore store;
    private final Function<EntityPath, Future<Void>> changed;

    /** What one run did to one entity. */
    public record Change(EntityPath path, String what) {
        @Override
        public String toString() {
            return what + " /" + path;
        }
    }

    /** What one run did: the entities it created, updated or deleted, and how many it left as they were. */
    public record Report(List<Change> changes, int unchanged) {
        public Report {
            changes = List.copyOf(changes);
        }
    }

    /**
     * @param changed told the path of each entity written or deleted, after the store took the change (e.g. to
     *                evict it from running controllers' caches); its failure fails the run
     */
    public CatalogInstaller(CatalogStore store, Function<EntityPath, Future<Void>> changed) {
        this.store = Objects.requireNonNull(store, "store");
        this.changed = Objects.requireNonNull(changed, "changed");
    }

    /**
     * Installs or updates the catalog.
     *
     * @return the report; fails with the store's error (a CONFLICT when another writer changed an entity
     *         meanwhile: run it again), leaving what was done so far in place
     */
    public Future<Report> install(SystemCatalog catalog) {
        List<Change> changes = new ArrayList<>();
        int[] unchanged = {0};
        Future<Void> chain = Future.succeededFuture();
        for (SystemCatalog.Package p : catalog.packages()) {
            chain = chain.compose(v -> installPackage(p, changes, unchanged));
        }
        return chain.map(v -> new Report(changes, unchanged[0]));
    }

    private Future<Void> installPackage(SystemCatalog.Package p, List<Change> changes, int[] unchanged) {
        EntityPath path = p.pkg().path();
        Future<Void> chain = store.packages().get(path).compose(found -> {
            if (found.isPresent() && same(found.get().entity(), p.pkg())) {
                unchanged[0]++;
                return Future.succeededFuture();
            }
            WhiskPackage pkg = found.map(s -> withVersion(p.pkg(), s.entity())).orElseGet(() -> stamped(p.pkg()));
            return store.packages().put(path, pkg, found.map(CatalogStore.Stored::revision).orElse(null))
                    .compose(v -> record(changes, path, found.isPresent() ? "updated" : "created"));
        });
        Set<String> bundled = new HashSet<>();
        for (WhiskAction a : p.actions()) {
            bundled.add(a.name());
            chain = chain.compose(v -> installAction(path, a, changes, unchanged));
        }
        return chain.compose(v -> store.actionNames(path)).compose(names -> {
            Future<Void> pruned = Future.succeededFuture();
            for (String name : names) {
                if (!bundled.contains(name)) {
                    pruned = pruned.compose(v -> deleteAction(new EntityPath(path.namespace(), path.name(), name),
                            changes));
                }
            }
            return pruned;
        });
    }

    private Future<Void> installAction(EntityPath pkg, WhiskAction action, List<Change> changes, int[] unchanged) {
        EntityPath path = new EntityPath(pkg.namespace(), pkg.name(), action.name());
        return store.actions().get(path).compose(found -> {
            if (found.isPresent() && same(found.get().entity(), action)) {
                unchanged[0]++;
                return Future.succeededFuture();
            }
            WhiskAction a = found.map(s -> withVersion(action, s.entity())).orElseGet(() -> stamped(action));
            return store.actions().put(path, a, found.map(CatalogStore.Stored::revision).orElse(null))
                    .compose(v -> record(changes, path, found.isPresent() ? "updated" : "created"));
        });
    }

    private Future<Void> deleteAction(EntityPath path, List<Change> changes) {
        return store.actions().get(path).compose(found -> found.isEmpty() ? Future.succeededFuture()
                : store.deleteAction(path, found.get().revision()).compose(v -> record(changes, path, "deleted")));
    }

    private Future<Void> record(List<Change> changes, EntityPath path, String what) {
        changes.add(new Change(path, what));
        return changed.apply(path);
    }

    /** Whether two entities are the same but for their version and time. */
    private static boolean same(Object stored, Object bundled) {
        return comparable(stored).equals(comparable(bundled));
    }

    private static ObjectNode comparable(Object entity) {
        ObjectNode tree = (ObjectNode) Json.toTree(entity);
        tree.remove("version");
        tree.remove("updated");
        return tree;
    }

    private static WhiskPackage stamped(WhiskPackage p) {
        return new WhiskPackage(p.namespace(), p.name(), p.version(), p.publish(), p.binding(), p.annotations(),
                p.parameters(), System.currentTimeMillis());
    }

    private static WhiskPackage withVersion(WhiskPackage p, WhiskPackage old) {
        return new WhiskPackage(p.namespace(), p.name(), old.version().bump(), p.publish(), p.binding(),
                p.annotations(), p.parameters(), System.currentTimeMillis());
    }

    private static WhiskAction stamped(WhiskAction a) {
        return new WhiskAction(a.namespace(), a.name(), a.version(), a.publish(), a.exec(), a.annotations(),
                a.parameters(), a.limits(), System.currentTimeMillis());
    }

    private static WhiskAction withVersion(WhiskAction a, WhiskAction old) {
        return new WhiskAction(a.namespace(), a.name(), old.version().bump(), a.publish(), a.exec(),
                a.annotations(), a.parameters(), a.limits(), System.currentTimeMillis());
    }
}
