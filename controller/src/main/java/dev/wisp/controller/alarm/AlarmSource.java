package dev.wisp.controller.alarm;

import java.util.List;

/** Where the scheduler reads the current alarm triggers from. */
public interface AlarmSource {
    /** Every alarm trigger now, those with a bad schedule left out (and logged). Blocking. */
    List<AlarmTrigger> load() throws Exception;
}
