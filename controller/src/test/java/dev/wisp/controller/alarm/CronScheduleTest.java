package dev.wisp.controller.alarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
    private static long at(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    private static String next(String cron, String after) {
        return Instant.ofEpochMilli(CronSchedule.parse(cron).next(at(after), ZoneOffset.UTC).orElseThrow()).toString();
    }

    private static List<String> ticks(String cron, String after, int n) {
        CronSchedule s = CronSchedule.parse(cron);
        List<String> out = new ArrayList<>();
        long t = at(after);
        for (int i = 0; i < n; i++) {
            t = s.next(t, ZoneOffset.UTC).orElseThrow();
            out.add(Instant.ofEpochMilli(t).toString());
        }
        return out;
    }

    @Test
    void everySecondWithSixFields() {
        assertEquals(List.of("2030-01-01T00:00:01Z", "2030-01-01T00:00:02Z", "2030-01-01T00:00:03Z"),
                ticks("* * * * * *", "2030-01-01T00:00:00Z", 3));
        // strictly after, and a time within a second rounds up to the next whole second
        assertEquals("2030-01-01T00:00:01Z", next("* * * * * *", "2030-01-01T00:00:00.999Z"));
    }

    @Test
    void fiveFieldsFireAtSecondZero() {
        assertEquals(List.of("2030-01-01T00:01:00Z", "2030-01-01T00:02:00Z"),
                ticks("* * * * *", "2030-01-01T00:00:00Z", 2));
        assertEquals("2030-01-01T00:05:00Z", next("*/5 * * * *", "2030-01-01T00:00:00Z"));
    }

    @Test
    void stepsListsAndRanges() {
        assertEquals(List.of("2030-01-01T00:00:10Z", "2030-01-01T00:00:20Z", "2030-01-01T00:00:30Z",
                        "2030-01-01T00:00:40Z", "2030-01-01T00:00:50Z", "2030-01-01T00:01:00Z"),
                ticks("*/10 * * * * *", "2030-01-01T00:00:05Z", 6));
        assertEquals(List.of("2030-01-01T09:15:00Z", "2030-01-01T09:45:00Z", "2030-01-01T17:15:00Z"),
                ticks("15,45 9,17 * * *", "2030-01-01T00:00:00Z", 3));
        assertEquals(List.of("2030-01-01T10:00:00Z", "2030-01-01T12:00:00Z", "2030-01-01T14:00:00Z",
                "2030-01-02T10:00:00Z"), ticks("0 10-14/2 * * *", "2030-01-01T00:00:00Z", 4));
        assertEquals(List.of("2030-01-01T00:00:30Z", "2030-01-01T00:00:45Z", "2030-01-01T00:01:30Z"),
                ticks("30/15 * * * * *", "2030-01-01T00:00:00Z", 3));
    }

    @Test
    void monthsAndWeekdaysTakeNames() {
        // 2030-01-01 is a Tuesday
        assertEquals("2030-01-07T08:00:00Z", next("0 8 * * MON", "2030-01-01T00:00:00Z"));
        assertEquals("2030-01-06T00:00:00Z", next("0 0 * * 7", "2030-01-01T00:00:00Z"));
        assertEquals("2030-01-06T00:00:00Z", next("0 0 * * 0", "2030-01-01T00:00:00Z"));
        assertEquals("2030-03-01T00:00:00Z", next("0 0 1 mar *", "2030-01-01T00:00:00Z"));
        assertEquals(List.of("2030-01-07T09:00:00Z", "2030-01-08T09:00:00Z", "2030-01-09T09:00:00Z",
                "2030-01-10T09:00:00Z", "2030-01-11T09:00:00Z", "2030-01-14T09:00:00Z"),
                ticks("0 9 * * MON-FRI", "2030-01-06T00:00:00Z", 6));
    }

    @Test
    void restrictedDayOfMonthAndWeekMatchEither() {
        // the 15th, or any Friday (2030-01-04 is a Friday)
        assertEquals(List.of("2030-01-04T00:00:00Z", "2030-01-11T00:00:00Z", "2030-01-15T00:00:00Z"),
                ticks("0 0 15 * FRI", "2030-01-01T00:00:00Z", 3));
    }

    @Test
    void shortMonthsAndLeapDays() {
        assertEquals("2030-03-31T00:00:00Z", next("0 0 31 * *", "2030-02-01T00:00:00Z"));
        assertEquals("2032-02-29T00:00:00Z", next("0 0 29 2 *", "2030-01-01T00:00:00Z"));
    }

    @Test
    void followsTheGivenTimeZone() {
        long t = CronSchedule.parse("0 9 * * *").next(at("2030-01-01T00:00:00Z"), ZoneId.of("Europe/Berlin"))
                .orElseThrow();
        assertEquals("2030-01-01T08:00:00Z", Instant.ofEpochMilli(t).toString());
    }

    @Test
    void badExpressionsSayWhatIsWrong() {
        assertMessage("* * * *", "has 4 fields; it needs 5");
        assertMessage("", "empty");
        assertMessage("60 * * * *", "minute field '60' is invalid");
        assertMessage("* 24 * * *", "hour field");
        assertMessage("* * 0 * *", "day of month field");
        assertMessage("* * * 13 *", "month field");
        assertMessage("* * * * 8", "day of week field");
        assertMessage("*/0 * * * *", "step must be at least 1");
        assertMessage("5-1 * * * *", "runs backwards");
        assertMessage("a * * * *", "'a' is not a number");
        assertMessage("1,,2 * * * *", "empty list element");
        assertMessage("0 0 30 2 *", "never fires");
    }

    private static void assertMessage(String cron, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse(cron));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
