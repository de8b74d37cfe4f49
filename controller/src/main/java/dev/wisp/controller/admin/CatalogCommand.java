package dev.wisp.controller.admin;

import dev.wisp.common.store.CouchStore;
import dev.wisp.controller.catalog.CatalogInstaller;
import dev.wisp.controller.catalog.CouchCatalogStore;
import dev.wisp.controller.catalog.SystemCatalog;
import io.vertx.core.Future;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code catalog install}: installs or updates the bundled {@link SystemCatalog} in the store, prints each
 * change, and tells running controllers which entities changed. Blocking: for the admin command's main thread.
 */
final class CatalogCommand {
    private CatalogCommand() {
    }

    static int install(CouchStore store, Revocations announcements, PrintStream out) {
        List<String> changed = new ArrayList<>();
        CatalogInstaller installer = new CatalogInstaller(new CouchCatalogStore(store), path -> {
            changed.add(path.docId());
            return Future.succeededFuture();
        });
        CatalogInstaller.Report report = installer.install(SystemCatalog.bundled()).await();
        report.changes().forEach(out::println);
        announcements.announceEntities(changed);
        out.println("catalog: " + report.changes().size() + " changed, " + report.unchanged() + " up to date");
        return 0;
    }
}
