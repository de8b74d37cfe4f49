package dev.wisp.standalone.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

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
}
