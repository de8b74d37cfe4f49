package dev.wisp.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A mistaken command line is refused before any scenario starts Wisp (--help once ran every scenario). */
class BenchMainTest {
    @Test
    void theCommandLinesTheReadmeShowsAreTaken() {
        assertNull(BenchMain.mistake(List.of()));
        assertNull(BenchMain.mistake(List.of("--smoke")));
        assertNull(BenchMain.mistake(List.of("invoke", "throughput", "--samples=100", "--seconds=5")));
        assertNull(BenchMain.mistake(List.of("standalone", "--runs=3", "--set=invoker.publish.ports=false")));
        assertNull(BenchMain.mistake(List.of("soak", "--minutes=30", "--seed=0")));
    }

    @Test
    void eachMistakeIsNamed() {
        assertEquals("unknown flag '--sample=5'", BenchMain.mistake(List.of("invoke", "--sample=5")));
        assertEquals("unknown scenario 'invokes'", BenchMain.mistake(List.of("invokes")));
        assertEquals("'--seconds=0' needs a whole number above 0", BenchMain.mistake(List.of("--seconds=0")));
        assertEquals("'--runs=many' needs a whole number above 0", BenchMain.mistake(List.of("--runs=many")));
        assertEquals("unknown flag '--set=nothing'", BenchMain.mistake(List.of("--set=nothing")));
    }
}
