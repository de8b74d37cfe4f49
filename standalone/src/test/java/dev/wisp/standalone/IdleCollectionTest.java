package dev.wisp.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class IdleCollectionTest {
    private static final long TICK = 1_000_000_000L;
    private static final long MB = 1L << 20;

    @Test
    void itCollectsAfterThreeQuietTicksOnceTheHeapHasGrown() {
        IdleCollection idle = new IdleCollection();
        assertFalse(idle.tick(TICK, TICK, 60 * MB), "busy");
        assertFalse(idle.tick(TICK / 20, TICK, 60 * MB));
        assertFalse(idle.tick(TICK / 20, TICK, 60 * MB));
        assertTrue(idle.tick(TICK / 20, TICK, 60 * MB), "third quiet tick");
    }

    @Test
    void aBusyTickStartsTheQuietCountAgain() {
        IdleCollection idle = new IdleCollection();
        idle.tick(0, TICK, 60 * MB);
        idle.tick(0, TICK, 60 * MB);
        assertFalse(idle.tick(TICK / 5, TICK, 60 * MB), "a fifth of a core is not quiet");
        assertFalse(idle.tick(0, TICK, 60 * MB));
        assertFalse(idle.tick(0, TICK, 60 * MB));
        assertTrue(idle.tick(0, TICK, 60 * MB));
    }

    @Test
    void afterACollectionOnlyAHeapThatGrewAgainIsCollected() {
        IdleCollection idle = new IdleCollection();
        idle.collected(40 * MB);
        for (int i = 0; i < 10; i++) {
            assertFalse(idle.tick(0, TICK, 47 * MB), "7 MB more is not worth a full collection");
        }
        assertTrue(idle.tick(0, TICK, 49 * MB));
    }

    @Test
    void wispsJvmCollectsOnceItsHeapHasGrownByALotBusyOrNot() {
        IdleCollection load = new IdleCollection(0, 128 * MB);
        for (int i = 0; i < 10; i++) {
            assertFalse(load.tick(0, TICK, 100 * MB), "quiet, but watched for growth alone");
            assertFalse(load.tick(TICK, TICK, 128 * MB), "busy, grown by 128 MB: not more than that");
        }
        assertTrue(load.tick(TICK, TICK, 129 * MB), "busy, and grown by more than 128 MB");
        load.collected(80 * MB);
        assertFalse(load.tick(TICK, TICK, 200 * MB), "counted from the heap after the collection");
        assertTrue(load.tick(TICK, TICK, 209 * MB));
    }

    @Test
    void theCollectionLeavesTheJvmsHeapRatiosAsTheyWere() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String min = vm.getVMOption("MinHeapFreeRatio").getValue();
        String max = vm.getVMOption("MaxHeapFreeRatio").getValue();
        IdleCollection.collect(vm);
        assertEquals(min, vm.getVMOption("MinHeapFreeRatio").getValue());
        assertEquals(max, vm.getVMOption("MaxHeapFreeRatio").getValue());
    }
}
