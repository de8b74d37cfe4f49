package dev.wisp.standalone.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaProcessTest {
    @Test
    void withoutADirectoryTheBrokerRunsWithoutAnArchive() {
        assertEquals(List.of(), KafkaProcess.classDataSharing(null, "/a.jar"));
        assertEquals(List.of(), KafkaProcess.classDataSharing(" ", "/a.jar"));
    }

    @Test
    void theArchiveIsInTheDirectoryNamedAfterTheClassPathAndMadeByTheJvmItself() {
        List<String> flags = KafkaProcess.classDataSharing("/cds", "/a.jar:/b.jar");
        String archive = flags.stream().filter(f -> f.startsWith("-XX:SharedArchiveFile=")).findFirst().orElseThrow();
        assertTrue(archive.startsWith("-XX:SharedArchiveFile=/cds/kafka-"), archive);
        assertTrue(flags.contains("-XX:+AutoCreateSharedArchive"), flags.toString());
        assertNotEquals(archive, KafkaProcess.classDataSharing("/cds", "/a.jar:/c.jar").stream()
                .filter(f -> f.startsWith("-XX:SharedArchiveFile=")).findFirst().orElseThrow());
    }
}
