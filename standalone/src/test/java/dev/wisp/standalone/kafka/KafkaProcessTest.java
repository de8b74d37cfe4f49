package dev.wisp.standalone.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaProcessTest {
    @Test
    void theBrokersJvmTrimsItsCHeapFromJdk22() {
        List<String> heap = List.of("-Xms16m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:-ShrinkHeapInSteps",
                "-XX:MaxNewSize=8m");
        assertEquals(heap, KafkaProcess.jvm(21));
        List<String> trimmed = new java.util.ArrayList<>(heap);
        trimmed.add("-XX:TrimNativeHeapInterval=5000");
        assertEquals(trimmed, KafkaProcess.jvm(22));
    }

    @Test
    void theBrokerRunsTheJitCompilersItIsToldOrThoseOfWispsJvm() {
        assertEquals(List.of("-XX:TieredStopAtLevel=1"), KafkaProcess.jit("c1", false));
        assertEquals(List.of(), KafkaProcess.jit("c2", true));
        assertEquals(List.of("-XX:TieredStopAtLevel=1"), KafkaProcess.jit(null, true));
        assertEquals(List.of(), KafkaProcess.jit(null, false));
    }

    @Test
    void aJitSettingWispsJvmDoesNotRunIsSaidAtStart() {
        assertTrue(KafkaProcess.jitMismatch(null, true).isEmpty());
        assertTrue(KafkaProcess.jitMismatch("c1", true).isEmpty());
        assertTrue(KafkaProcess.jitMismatch("c2", false).isEmpty());
        assertEquals("standalone.jit=c2 reaches the Kafka broker only: this JVM runs C1 alone, chosen on its command"
                + " line before it started (./wisp standalone sets it from --standalone.jit=, WISP_STANDALONE_JIT or"
                + " a --config file)", KafkaProcess.jitMismatch("c2", true).orElseThrow());
        assertTrue(KafkaProcess.jitMismatch("c1", false).orElseThrow().contains("this JVM runs C1 and C2"));
    }

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

    @Test
    void anAotCacheIsRecordedByTheFirstRunAndUsedByTheNext(@TempDir Path dir) throws IOException {
        String cache = dir.resolve("kafka-1.aot").toString();
        assertEquals(List.of("-XX:AOTCacheOutput=" + cache, "-XX:+UnlockDiagnosticVMOptions",
                "-XX:-AOTRecordTraining", "-Xlog:aot=off", "-Xlog:cds=off"), KafkaProcess.classDataSharing(cache));
        Files.writeString(Path.of(cache), "cache");
        assertEquals(List.of("-XX:AOTCache=" + cache, "-Xlog:aot=off", "-Xlog:cds=off"),
                KafkaProcess.classDataSharing(cache));
    }

    @Test
    void aCacheWhoseAssemblyWasCutShortIsRecordedAgain(@TempDir Path dir) throws IOException {
        String cache = dir.resolve("kafka-1.aot").toString();
        Files.writeString(Path.of(cache), "half");
        Files.writeString(Path.of(cache + ".config"), "left by a JVM killed while assembling");
        assertTrue(KafkaProcess.training(cache));
        assertEquals("-XX:AOTCacheOutput=" + cache, KafkaProcess.classDataSharing(cache).get(0));
    }

    @Test
    void moreJvmOptionsAreSplitAtWhiteSpace() {
        assertEquals(List.of(), KafkaProcess.options(" "));
        assertEquals(List.of("-XX:TieredStopAtLevel=4", "-Xmx512m"),
                KafkaProcess.options(" -XX:TieredStopAtLevel=4 \t-Xmx512m "));
    }
}
