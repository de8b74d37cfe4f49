package dev.wisp.common.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
    private final TopicPartition tp = new TopicPartition("t", 0);

    @Test
    void commitsOnlyAContiguousPrefixOfFinishedWork() {
        OffsetTracker t = new OffsetTracker();
        t.started(tp, 10);
        t.started(tp, 11);
        t.started(tp, 12);
        assertTrue(t.finished(tp, 11).isEmpty(), "11 done while 10 runs: nothing may be committed");
        assertTrue(t.finished(tp, 12).isEmpty());
        assertEquals(13, t.finished(tp, 10).getAsLong(), "10 done: everything up to 12 is done");
        assertEquals(0, t.inFlightCount());
    }

    @Test
    void finishingTheOldestMovesToTheNextUnfinished() {
        OffsetTracker t = new OffsetTracker();
        t.started(tp, 1);
        t.started(tp, 2);
        t.started(tp, 3);
        assertEquals(2, t.finished(tp, 1).getAsLong());
        assertTrue(t.finished(tp, 3).isEmpty());
        assertEquals(4, t.finished(tp, 2).getAsLong());
    }

    @Test
    void unknownOffsetsAreIgnored() {
        OffsetTracker t = new OffsetTracker();
        assertTrue(t.finished(tp, 5).isEmpty());
    }
}
