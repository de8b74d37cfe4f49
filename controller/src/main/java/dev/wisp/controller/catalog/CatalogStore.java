package dev.wisp.controller.catalog;

import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.entity.WhiskPackage;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * What the {@link CatalogInstaller} reads and writes: packages and actions with their store revisions. Every
 * method's {@code Future} fails with the store's error (a CONFLICT {@code WispException} when someone else
 * changed the entity first).
 */
public interface CatalogStore {
    /** An entity with the store revision it was read at. */
    record Stored<T>(T entity, String revision) {
    }

    Future<Optional<Stored<WhiskPackage>>> getPackage(EntityPath path);

    /** Creates the package ({@code revision} null) or replaces the one at {@code revision}. */
    Future<Void> putPackage(EntityPath path, WhiskPackage pkg, String revision);

    Future<Optional<Stored<WhiskAction>>> getAction(EntityPath path);

    /** Creates the action ({@code revision} null) or replaces the one at {@code revision}. */
    Future<Void> putAction(EntityPath path, WhiskAction action, String revision);

    Future<Void> deleteAction(EntityPath path, String revision);

    /** The names of the actions in a package. */
    Future<List<String>> actionNames(EntityPath pkg);
}
