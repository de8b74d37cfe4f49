package dev.wisp.controller.alarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.KeyValue;
import dev.wisp.common.error.WispException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * An alarm: a trigger whose annotations carry {@code feed: /whisk.system/alarms/alarm} and whose parameters hold
 * a {@code cron} schedule, with the alarms feed's optional {@code trigger_payload}, {@code startDate},
 * {@code stopDate}, {@code maxTriggers} and {@code timezone}.
 *
 * @param since the time from which ticks count (the trigger's last update), or 0 when the store has none
 */
public record AlarmTrigger(EntityPath path, CronSchedule schedule, ZoneId zone, JsonNode payload, long startDate,
                           long stopDate, long maxTriggers, long since) {
    /** The feed annotation value that marks an alarm trigger. */
    public static final String FEED = "/whisk.system/alarms/alarm";

    /** Whether a trigger's annotations name the alarms feed. */
    public static boolean isAlarm(JsonNode annotations) {
        String feed = Keyed.get(annotations, "feed").map(JsonNode::asText).orElse("");
        return FEED.equals(feed.startsWith("/") ? feed : "/" + feed);
    }

    /** Whether a trigger's parameters carry a schedule (a feed trigger gets it from the feed's CREATE). */
    public static boolean hasSchedule(JsonNode parameters) {
        return Keyed.get(parameters, "cron").isPresent();
    }

    /**
     * Refuses a trigger that names the alarms feed but whose alarm parameters are wrong; call at trigger create
     * and update. One without {@code cron} is accepted: {@code wsk trigger create --feed} sends the schedule to the
     * feed action afterwards.
     *
     * @throws WispException BAD_REQUEST naming the parameter and what is wrong with it
     */
    public static void validate(EntityPath path, List<KeyValue> parameters, List<KeyValue> annotations) {
        if (!isAlarm(Json.toTree(annotations)) || !hasSchedule(Json.toTree(parameters))) {
            return;
        }
        try {
            from(path, Json.toTree(parameters), 0);
        } catch (IllegalArgumentException e) {
            throw WispException.badRequest("Invalid alarm trigger: " + e.getMessage() + ".");
        }
    }

    /**
     * Reads an alarm from a trigger's parameters; use at trigger create and update to refuse a bad schedule.
     *
     * @throws IllegalArgumentException naming the parameter and what is wrong with it
     */
    public static AlarmTrigger from(EntityPath path, JsonNode parameters, long since) {
        JsonNode cron = Keyed.get(parameters, "cron")
                .orElseThrow(() -> new IllegalArgumentException("an alarm trigger needs the parameter 'cron'"));
        if (!cron.isTextual()) {
            throw new IllegalArgumentException("the parameter 'cron' must be a string such as '*/5 * * * *'");
        }
        CronSchedule schedule = CronSchedule.parse(cron.asText());
        ZoneId zone = ZoneOffset.UTC;
        Optional<JsonNode> tz = Keyed.get(parameters, "timezone");
        if (tz.isPresent() && !tz.get().isNull()) {
            try {
                zone = ZoneId.of(tz.get().asText());
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("the parameter 'timezone' is not a time zone: " + tz.get());
            }
        }
        JsonNode payload = Keyed.get(parameters, "trigger_payload").map(AlarmTrigger::payload)
                .orElseGet(JsonNodeFactory.instance::objectNode);
        long start = Keyed.get(parameters, "startDate").map(v -> date("startDate", v)).orElse(0L);
        long stop = Keyed.get(parameters, "stopDate").map(v -> date("stopDate", v)).orElse(Long.MAX_VALUE);
        if (stop <= start) {
            throw new IllegalArgumentException("the parameter 'stopDate' must be after 'startDate'");
        }
        long max = Keyed.get(parameters, "maxTriggers").map(v -> {
            if (!v.canConvertToLong()) {
                throw new IllegalArgumentException("the parameter 'maxTriggers' must be an integer, -1 for no limit");
            }
            return v.asLong();
        }).orElse(-1L);
        return new AlarmTrigger(path, schedule, zone, payload, start, stop, max < 0 ? Long.MAX_VALUE : max, since);
    }

    private static JsonNode payload(JsonNode v) {
        if (v.isObject()) {
            return v;
        }
        if (v.isTextual()) {
            try {
                JsonNode parsed = Json.mapper().readTree(v.asText());
                if (parsed != null && parsed.isObject()) {
                    return parsed;
                }
            } catch (Exception e) {
                // fall through
            }
        }
        throw new IllegalArgumentException("the parameter 'trigger_payload' must be a JSON object");
    }

    private static long date(String name, JsonNode v) {
        if (v.isNull()) {
            return name.equals("startDate") ? 0L : Long.MAX_VALUE;
        }
        if (v.canConvertToLong() && !v.isTextual()) {
            return v.asLong();
        }
        String text = v.asText();
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeException e) {
            try {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (DateTimeException e2) {
                throw new IllegalArgumentException("the parameter '" + name
                        + "' must be a date such as 2030-01-01T00:00:00.000Z or epoch milliseconds, not '" + text + "'");
            }
        }
    }

    /** Reading {@code [{"key", "value"}]} lists. */
    static final class Keyed {
        private Keyed() {
        }

        static Optional<JsonNode> get(JsonNode list, String key) {
            if (list != null && list.isArray()) {
                for (JsonNode kv : list) {
                    if (key.equals(kv.path("key").asText(null))) {
                        return Optional.of(kv.path("value"));
                    }
                }
            }
            return Optional.empty();
        }
    }
}
