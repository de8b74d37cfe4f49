package dev.wisp.controller.throttle;

import dev.wisp.common.error.ErrorKind;
import dev.wisp.common.error.WispException;

/**
 * What a namespace started in the current fixed one-minute window (as OpenWhisk counts), against this controller's
 * share of the limit. Not thread-safe: its owner checks and counts under its own lock.
 */
final class MinuteWindow {
    private long minute = -1;
    private int count;

    /**
     * Refuses one more in this minute once the share is used (a new minute starts from zero).
     *
     * @param allowed     this controller's share of the limit
     * @param controllers the live controllers, to estimate the cluster-wide count the message reports
     * @param limit       the namespace's limit, as the message reports it
     * @throws WispException THROTTLED with OpenWhisk's message
     */
    void check(long now, int allowed, int controllers, int limit) {
        long thisMinute = now / 60_000;
        if (thisMinute != minute) {
            minute = thisMinute;
            count = 0;
        }
        if (count >= allowed) {
            throw new WispException(ErrorKind.THROTTLED, "Too many requests in the last minute (count: "
                    + count * controllers + ", allowed: " + limit + ").");
        }
    }

    /** Counts one more in this minute (after {@link #check} admitted it); returns the minute it counted in. */
    long count() {
        count++;
        return minute;
    }

    /**
     * Takes back one counted in {@code counted} (a minute {@link #count} returned), if that minute is still this
     * one.
     */
    void uncount(long counted) {
        if (counted == minute && count > 0) {
            count--;
        }
    }
}
