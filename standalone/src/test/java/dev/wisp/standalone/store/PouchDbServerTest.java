package dev.wisp.standalone.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PouchDbServerTest {
    @Test
    void theStoresYoungGenerationIsCappedAfterTheCallersNodeOptions() {
        assertEquals("--max-semi-space-size=4", PouchDbServer.nodeOptions(null));
        assertEquals("--max-semi-space-size=4", PouchDbServer.nodeOptions(" "));
        assertEquals("--max-old-space-size=256 --max-semi-space-size=4",
                PouchDbServer.nodeOptions("--max-old-space-size=256"));
    }

    @Test
    void aSizeTheCallerChoseStands() {
        assertEquals("--max-semi-space-size=16", PouchDbServer.nodeOptions("--max-semi-space-size=16"));
    }

    @Test
    void anNpmInstallRunsAsWispsLauncherWithItsModules(@TempDir Path tmp) throws IOException {
        Path modules = Files.createDirectories(tmp.resolve("node_modules"));
        Files.createDirectories(modules.resolve("express-pouchdb"));
        Path bin = Files.createDirectories(modules.resolve(".bin")).resolve("pouchdb-server");
        Path data = tmp.resolve("store");
        assertEquals(List.of("node", data.resolve("store-server.js").toString(), data.toString(), "5984", "127.0.0.1"),
                PouchDbServer.command(bin, data, 5984));
        assertEquals(modules.toString(), PouchDbServer.environment(bin).get("NODE_PATH"));
        assertNotNull(PouchDbServer.class.getResourceAsStream(PouchDbServer.LAUNCHER), "the launcher is packaged");
    }

    @Test
    void anyOtherExecutableRunsAsGiven(@TempDir Path tmp) {
        Path bin = tmp.resolve("my-couch");
        Path data = tmp.resolve("store");
        assertEquals(List.of(bin.toString(), "--dir", data.toString(), "-p", "5984", "-o", "127.0.0.1", "-n"),
                PouchDbServer.command(bin, data, 5984));
        assertEquals(null, PouchDbServer.environment(bin).get("NODE_PATH"));
    }

    @Test
    void aConfigurationFileLeftEmptyByAFullDiskIsReadAsEmpty() {
        assertEquals("{}", PouchDbServer.readConfig(new byte[0]).toString());
        assertEquals("{}", PouchDbServer.readConfig("{\"couchdb\":".getBytes()).toString());
        assertEquals("{}", PouchDbServer.readConfig("[1]".getBytes()).toString());
        assertEquals("{\"couchdb\":{\"max_document_size\":5}}",
                PouchDbServer.readConfig("{\"couchdb\":{\"max_document_size\":5}}".getBytes()).toString());
    }
}
