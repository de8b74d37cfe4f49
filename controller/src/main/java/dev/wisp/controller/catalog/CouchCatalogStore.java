package dev.wisp.controller.catalog;

import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.entity.WhiskPackage;
import dev.wisp.common.store.CouchStore;
import dev.wisp.controller.store.EntityStore;
import dev.wisp.controller.store.PackageStore;
import io.vertx.core.Future;
import java.util.List;

/** The catalog's entities in the store the controllers read, through their own entity and package stores. */
public final class CouchCatalogStore implements CatalogStore {
    /** More actions than any catalog package has, so one page lists them all. */
    private static final int MAX_ACTIONS = 10_000;
    private final EntityStore actions;
    private final PackageStore packages;

    /** Opens the entity database and ensures its views. Blocking: call at start-up, off the event loop. */
    public CouchCatalogStore(CouchStore store) {
        this(new EntityStore(store), new PackageStore(store));
    }

    /** Through stores already open. */
    public CouchCatalogStore(EntityStore actions, PackageStore packages) {
        this.actions = actions;
        this.packages = packages;
    }

    @Override
    public Entities<WhiskPackage> packages() {
        return Entities.of(path -> packages.get(path).map(found -> found.map(s -> new Stored<>(s.pkg(), s.revision()))),
                (path, pkg, revision) -> packages.put(path, pkg, revision).mapEmpty());
    }

    @Override
    public Entities<WhiskAction> actions() {
        return Entities.of(path -> actions.getAction(path).map(found -> found.map(s -> new Stored<>(s.action(),
                s.revision()))), (path, action, revision) -> actions.putAction(path, action, revision).mapEmpty());
    }

    @Override
    public Future<Void> deleteAction(EntityPath path, String revision) {
        return actions.deleteAction(path, revision);
    }

    @Override
    public Future<List<String>> actionNames(EntityPath pkg) {
        return packages.actions(pkg, 0, MAX_ACTIONS).map(list -> list.stream().map(WhiskAction::name).toList());
    }
}
