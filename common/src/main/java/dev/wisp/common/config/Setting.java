package dev.wisp.common.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The definition of one configuration key: its name, the type of value it takes (with what is allowed), its
 * default and a one-line description. Components declare theirs as constants of one {@link SettingDefinitions}
 * class each and read them with {@link Settings#get(Setting)}; the README's settings table is printed from them.
 *
 * <p>The parser of a setting turns the text given (flag, environment or file) into its value, or throws an
 * {@link IllegalArgumentException} saying what is wrong with it; {@link Settings} then reports the key, the value
 * given, that complaint and {@link #allowed()}, and goes on with the default.
 *
 * @param <T> the value's type
 */
public record Setting<T>(String key, T fallback, String shownDefault, String allowed, Function<String, T> parser,
                         String doc, boolean computed) {
    /**
     * @param key          the key, {@code controller.port}
     * @param fallback     the value when the key is not set (null: unset, or required)
     * @param shownDefault the default as the README shows it
     * @param allowed      what values are allowed, in words
     * @param parser       the value of a text; throws {@link IllegalArgumentException} saying what is wrong with it
     * @param doc          what the setting sets, in one line
     * @param computed     whether the default is worked out at start ({@link #defaultShownAs}) rather than a value
     */
    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(parser, "parser");
    }

    /** A setting of any type: {@code parser} throws {@link IllegalArgumentException} on a value it refuses. */
    public static <T> Setting<T> of(String key, T fallback, String shownDefault, String allowed,
                                    Function<String, T> parser, String doc) {
        return new Setting<>(key, fallback, shownDefault, allowed, parser, doc, false);
    }

    /** Free text; {@code fallback} may be null (unset). */
    public static Setting<String> text(String key, String fallback, String doc) {
        return of(key, fallback, fallback == null ? "unset" : fallback, "text", t -> t, doc);
    }

    /** Text that must be given; reading it unset is a problem. */
    public static Setting<String> required(String key, String doc) {
        return of(key, null, REQUIRED, "text", t -> t, doc);
    }

    /** One of a few words. */
    public static Setting<String> oneOf(String key, String fallback, String doc, String... choices) {
        List<String> allowed = Arrays.asList(choices);
        return of(key, fallback, fallback, String.join(", ", allowed), t -> {
            if (!allowed.contains(t)) {
                throw new IllegalArgumentException("is not one of them");
            }
            return t;
        }, doc);
    }

    /** A whole number from {@code min} to {@code max}. */
    public static Setting<Integer> integer(String key, int fallback, int min, int max, String doc) {
        return of(key, fallback, String.valueOf(fallback), range("an integer", min, max), t -> {
            int n;
            try {
                n = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("is not an integer");
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException("is outside " + min + ".." + max);
            }
            return n;
        }, doc);
    }

    /** A decimal number from {@code min} to {@code max}. */
    public static Setting<Double> decimal(String key, double fallback, double min, double max, String doc) {
        return of(key, fallback, plain(fallback), "a number from " + plain(min) + " to " + plain(max), t -> {
            double n;
            try {
                n = Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("is not a number");
            }
            if (Double.isNaN(n) || n < min || n > max) {
                throw new IllegalArgumentException("is outside " + plain(min) + ".." + plain(max));
            }
            return n;
        }, doc);
    }

    /** {@code true} or {@code false}. */
    public static Setting<Boolean> bool(String key, boolean fallback, String doc) {
        return of(key, fallback, String.valueOf(fallback), "true, false", t -> {
            if (!t.equalsIgnoreCase("true") && !t.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException("is not true or false");
            }
            return Boolean.parseBoolean(t);
        }, doc);
    }

    /** A duration of zero or more ({@link #parseDuration}). */
    public static Setting<Duration> duration(String key, Duration fallback, String doc) {
        return of(key, fallback, fallback == null ? "unset" : show(fallback), "a duration, 0 or more",
                Setting::parseDuration, doc);
    }

    /** A duration longer than zero ({@link #parseDuration}). */
    public static Setting<Duration> positiveDuration(String key, Duration fallback, String doc) {
        return of(key, fallback, show(fallback), "a duration longer than 0", t -> {
            Duration d = parseDuration(t);
            if (d.isZero()) {
                throw new IllegalArgumentException("must be longer than zero");
            }
            return d;
        }, doc);
    }

    /** The same setting with its default described as {@code text}, for a default computed at start. */
    public Setting<T> defaultShownAs(String text) {
        return new Setting<>(key, fallback, text, allowed, parser, doc, true);
    }

    private static final String REQUIRED = "required";

    /**
     * Reads a duration written as milliseconds ({@code 500ms}), seconds ({@code 30s}), minutes ({@code 5m}), hours
     * ({@code 24h}) or days ({@code 7d}); a bare number is milliseconds.
     *
     * @throws IllegalArgumentException if it is none of these, or negative
     */
    public static Duration parseDuration(String text) {
        Duration d;
        try {
            if (text.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            } else if (text.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            } else if (text.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            } else if (text.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(text.substring(0, text.length() - 1)));
            } else if (text.endsWith("d")) {
                d = Duration.ofDays(Long.parseLong(text.substring(0, text.length() - 1)));
            } else {
                d = Duration.ofMillis(Long.parseLong(text));
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("is not a duration such as 500ms, 30s, 5m, 24h or 7d");
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException("is negative");
        }
        return d;
    }

    /** A duration as settings are written, in the largest unit up to hours that holds it whole: {@code 24h}, {@code 90s}. */
    public static String show(Duration d) {
        long ms = d.toMillis();
        if (ms == 0 || ms % 1000 != 0) {
            return ms + "ms";
        }
        long[] sizes = {3_600_000L, 60_000L, 1000L};
        String[] units = {"h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms % sizes[i] == 0) {
                return ms / sizes[i] + units[i];
            }
        }
        return ms + "ms";
    }

    private static String range(String what, int min, int max) {
        return what + (max == Integer.MAX_VALUE ? ", " + min + " or more" : " from " + min + " to " + max);
    }

    private static String plain(double n) {
        return n == Math.rint(n) ? String.valueOf((long) n) : String.valueOf(n);
    }

    public boolean isRequired() {
        return REQUIRED.equals(shownDefault);
    }

    /** The value of {@code text}; throws {@link IllegalArgumentException} saying what is wrong with it. */
    public T parse(String text) {
        return parser.apply(text);
    }
}
