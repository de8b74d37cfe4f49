package dev.wisp.controller.alarm;

import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Keys;
import dev.wisp.common.message.ActivationId;
import java.util.HexFormat;

/**
 * The trigger activation id of one alarm tick, derived from the trigger's name and the tick's time only, so
 * that whichever controller fires a tick, and however often, it is the same activation.
 */
public final class TickIds {
    private TickIds() {
    }

    public static ActivationId of(EntityPath trigger, long tickMillis) {
        return hash("alarm:" + trigger.docId() + "@" + tickMillis);
    }

    /** The id of the record that reports a run of skipped ticks starting at {@code fromTick}. */
    public static ActivationId skipped(EntityPath trigger, long fromTick) {
        return hash("alarm-skipped:" + trigger.docId() + "@" + fromTick);
    }

    private static ActivationId hash(String text) {
        return new ActivationId(HexFormat.of().formatHex(Keys.sha256(text), 0, 16));
    }
}
