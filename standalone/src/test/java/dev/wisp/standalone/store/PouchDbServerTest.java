package dev.wisp.standalone.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PouchDbServerTest {
    @Test
    void theStoreLoadsItsIdleCollectionAfterTheCallersNodeOptions() {
        Path js = Path.of("/data/store/wisp-idle-gc.js");
        assertEquals("--require \"/data/store/wisp-idle-gc.js\"", PouchDbServer.nodeOptions(null, js));
        assertEquals("--require \"/data/store/wisp-idle-gc.js\"", PouchDbServer.nodeOptions(" ", js));
        assertEquals("--max-old-space-size=256 --require \"/data/store/wisp-idle-gc.js\"",
                PouchDbServer.nodeOptions("--max-old-space-size=256", js));
    }

    @Test
    void aPathWithQuotesOrSpacesStaysOneArgument() {
        assertEquals("--require \"/my data/a\\\"b/wisp-idle-gc.js\"",
                PouchDbServer.nodeOptions(null, Path.of("/my data/a\"b/wisp-idle-gc.js")));
    }

    @Test
    void theScriptShipsWithTheStandalone() {
        assertNotNull(PouchDbServer.class.getResource("idle-gc.js"));
    }
}
