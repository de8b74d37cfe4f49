package dev.wisp.controller.alarm;

import dev.wisp.common.message.ActivationId;

/** Fires an alarm trigger for one tick, durably, under the tick's own trigger activation id. */
public interface AlarmFirer {
    /**
     * Fires and returns once the fire is durable (or needed no record, as with no active rule). Blocking: the
     * scheduler calls it from its own threads.
     *
     * @throws Exception when the fire is not durable; the scheduler tries the tick again later
     */
    void fire(AlarmTrigger alarm, long tickMillis, ActivationId activationId) throws Exception;

    /**
     * Reports ticks that were not fired because a catch-up exceeded the cap; they are already in the log and in
     * the alarm's ZooKeeper state. Blocking.
     */
    default void reportSkipped(AlarmTrigger alarm, long fromTick, long toTick, long count) throws Exception {
    }
}
