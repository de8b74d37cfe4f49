package dev.wisp.controller.alarm;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * A cron schedule, as the OpenWhisk alarms feed takes it: five fields {@code minute hour day-of-month month
 * day-of-week}, or six with {@code second} first. Each field is {@code *}, a value, a range {@code a-b}, a step
 * <code>&#42;/n</code>, {@code a-b/n} or {@code a/n}, or a comma-separated list of those; months and weekdays also take
 * names ({@code JAN}, {@code MON}); weekday 0 and 7 are both Sunday. When both day fields are restricted a day
 * matches either of them, as in classic cron.
 */
public final class CronSchedule {
    private static final int YEARS_AHEAD = 5;
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG",
            "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    private final String expression;
    private final BitSet seconds;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private CronSchedule(String expression, String[] f) {
        this.expression = expression;
        int i = 0;
        this.seconds = f.length == 6 ? field(f[i++], "second", 0, 59, null) : single(0);
        this.minutes = field(f[i++], "minute", 0, 59, null);
        this.hours = field(f[i++], "hour", 0, 23, null);
        String dom = f[i++];
        this.daysOfMonth = field(dom, "day of month", 1, 31, null);
        this.months = field(f[i++], "month", 1, 12, MONTHS);
        String dow = f[i];
        BitSet days = field(dow, "day of week", 0, 7, DAYS);
        if (days.get(7)) {
            days.set(0);
            days.clear(7);
        }
        this.daysOfWeek = days;
        this.anyDayOfMonth = isAny(dom);
        this.anyDayOfWeek = isAny(dow);
    }

    /**
     * Parses an expression.
     *
     * @throws IllegalArgumentException with a message that names the field and what is wrong with it
     */
    public static CronSchedule parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("the cron expression is empty");
        }
        String[] fields = expression.trim().split("\\s+");
        if (fields.length != 5 && fields.length != 6) {
            throw new IllegalArgumentException("the cron expression '" + expression + "' has " + fields.length
                    + " fields; it needs 5 (minute hour day-of-month month day-of-week) or 6 (second first)");
        }
        CronSchedule s = new CronSchedule(expression.trim(), fields);
        if (s.next(0, ZoneId.of("UTC")).isEmpty()) {
            throw new IllegalArgumentException("the cron expression '" + expression + "' never fires");
        }
        return s;
    }

    /** The expression as given, trimmed. */
    public String expression() {
        return expression;
    }

    /**
     * The first tick strictly after {@code afterMillis}, in epoch milliseconds (always a whole second); empty when
     * there is none within five years.
     */
    public OptionalLong next(long afterMillis, ZoneId zone) {
        ZonedDateTime t = Instant.ofEpochMilli(Math.floorDiv(afterMillis, 1000) * 1000 + 1000).atZone(zone);
        int lastYear = t.getYear() + YEARS_AHEAD;
        while (t.getYear() <= lastYear) {
            if (!months.get(t.getMonthValue())) {
                t = t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).plusMonths(1);
            } else if (!dayMatches(t)) {
                t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
            } else if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(t.getMinute())) {
                t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
            } else if (!seconds.get(t.getSecond())) {
                int next = seconds.nextSetBit(t.getSecond());
                t = next < 0 ? t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1) : t.withSecond(next);
            } else {
                return OptionalLong.of(t.toInstant().toEpochMilli());
            }
        }
        return OptionalLong.empty();
    }

    private boolean dayMatches(ZonedDateTime t) {
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
        if (anyDayOfMonth && anyDayOfWeek) {
            return true;
        } else if (anyDayOfMonth) {
            return dow;
        } else if (anyDayOfWeek) {
            return dom;
        }
        return dom || dow;
    }

    private static boolean isAny(String field) {
        return field.equals("*") || field.equals("?");
    }

    private static BitSet single(int value) {
        BitSet b = new BitSet();
        b.set(value);
        return b;
    }

    private static BitSet field(String text, String name, int min, int max, List<String> names) {
        BitSet bits = new BitSet();
        for (String part : text.split(",", -1)) {
            try {
                part(part, min, max, names, bits);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the cron " + name + " field '" + text + "' is invalid: "
                        + e.getMessage() + " (allowed " + min + "-" + max + ")");
            }
        }
        return bits;
    }

    private static void part(String part, int min, int max, List<String> names, BitSet bits) {
        if (part.isEmpty()) {
            throw new IllegalArgumentException("empty list element");
        }
        String range = part;
        int step = 1;
        int slash = part.indexOf('/');
        if (slash >= 0) {
            range = part.substring(0, slash);
            step = number(part.substring(slash + 1), null);
            if (step < 1) {
                throw new IllegalArgumentException("step must be at least 1");
            }
        }
        int from;
        int to;
        if (range.equals("*") || range.equals("?")) {
            from = min;
            to = max;
        } else {
            int dash = range.indexOf('-', 1);
            from = number(dash < 0 ? range : range.substring(0, dash), names);
            to = dash < 0 ? (slash >= 0 ? max : from) : number(range.substring(dash + 1), names);
        }
        if (from < min || from > max || to < min || to > max) {
            throw new IllegalArgumentException("'" + part + "' is out of range");
        }
        if (from > to) {
            throw new IllegalArgumentException("range '" + range + "' runs backwards");
        }
        for (int v = from; v <= to; v += step) {
            bits.set(v);
        }
    }

    private static int number(String text, List<String> names) {
        if (names != null) {
            int i = names.indexOf(text.toUpperCase(Locale.ROOT));
            if (i >= 0) {
                return names == MONTHS ? i + 1 : i;
            }
        }
        if (text.isEmpty() || text.length() > 4 || !text.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + text + "' is not a number");
        }
        return Integer.parseInt(text);
    }

    @Override
    public String toString() {
        return expression;
    }
}
