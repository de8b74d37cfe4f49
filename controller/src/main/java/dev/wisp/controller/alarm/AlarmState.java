package dev.wisp.controller.alarm;

import java.util.ArrayList;
import java.util.List;

/**
 * What the scheduler keeps per alarm in ZooKeeper: the last tick fired (or given up), how many ticks fired since
 * the trigger was last changed, the change time that count belongs to, and the most recent runs of ticks that
 * were not fired because a catch-up went beyond the cap.
 */
public record AlarmState(long lastTick, long fired, long since, List<Skipped> skipped) {
    private static final int KEEP_SKIPPED = 10;

    /** A run of ticks that were never fired, reported rather than dropped silently. */
    public record Skipped(long from, long to, long count, long reportedAt) {
    }

    public AlarmState {
        skipped = skipped == null ? List.of() : List.copyOf(skipped);
    }

    AlarmState firedAt(long tick) {
        return new AlarmState(tick, fired + 1, since, skipped);
    }

    AlarmState skip(long from, long to, long count, long now) {
        List<Skipped> all = new ArrayList<>(skipped);
        all.add(new Skipped(from, to, count, now));
        if (all.size() > KEEP_SKIPPED) {
            all = all.subList(all.size() - KEEP_SKIPPED, all.size());
        }
        return new AlarmState(Math.max(lastTick, to), fired, since, all);
    }
}
