package dev.wisp.standalone.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaProcessTest {
    @Test
    void withoutAnArchiveNamedTheBrokerRunsWithoutOne() {
        assertEquals(List.of(), KafkaProcess.classDataSharing(null));
        assertEquals(List.of(), KafkaProcess.classDataSharing(" "));
    }

    @Test
    void theNamedArchiveIsMadeByTheJvmItselfAndItsWarningsAreSilent() {
        List<String> flags = KafkaProcess.classDataSharing("/cds/kafka-1.jsa");
        assertTrue(flags.contains("-XX:SharedArchiveFile=/cds/kafka-1.jsa"), flags.toString());
        assertTrue(flags.contains("-XX:+AutoCreateSharedArchive"), flags.toString());
        assertTrue(flags.contains("-Xlog:cds=off"), flags.toString());
    }
}
