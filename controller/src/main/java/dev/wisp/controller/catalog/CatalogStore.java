package dev.wisp.controller.catalog;

import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.entity.WhiskPackage;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the {@link CatalogInstaller} reads and writes: packages and actions with their store revisions. Every
 * method's {@code Future} fails with the store's error (a CONFLICT {@code WispException} when someone else
 * changed the entity first).
 */
public interface CatalogStore {
    /** An entity with the store revision it was read at. */
    record Stored<T>(T entity, String revision) {
    }

    /** One kind of the catalog's entities (packages, actions), read and written with their revisions. */
    interface Entities<T> {
        Future<Optional<Stored<T>>> get(EntityPath path);

        /** Creates the entity ({@code revision} null) or replaces the one at {@code revision}. */
        Future<Void> put(EntityPath path, T entity, String revision);

        /** The entities that {@code get} reads and {@code put} writes. */
        static <T> Entities<T> of(Function<EntityPath, Future<Optional<Stored<T>>>> get, Writer<T> put) {
            return new Entities<>() {
                @Override
                public Future<Optional<Stored<T>>> get(EntityPath path) {
                    return get.apply(path);
                }

                @Override
                public Future<Void> put(EntityPath path, T entity, String revision) {
                    return put.put(path, entity, revision);
                }
            };
        }
    }

    /** Writes one entity at a revision. */
    @FunctionalInterface
    interface Writer<T> {
        Future<Void> put(EntityPath path, T entity, String revision);
    }

    Entities<WhiskPackage> packages();

    Entities<WhiskAction> actions();

    Future<Void> deleteAction(EntityPath path, String revision);

    /** The names of the actions in a package. */
    Future<List<String>> actionNames(EntityPath pkg);
}
