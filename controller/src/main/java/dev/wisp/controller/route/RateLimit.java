package dev.wisp.controller.route;

import dev.wisp.common.error.WispException;
import java.time.Duration;
import java.util.Locale;

/**
 * How many requests an API operation takes per window, as IBM's API gateway configures it in swagger
 * ({@code x-ibm-rate-limit}: {@code rate} requests per {@code units} {@code unit}s).
 */
public record RateLimit(int rate, Duration window) {
    public RateLimit {
        if (rate < 1) {
            throw WispException.badRequest("A rate limit's rate must be at least 1, got " + rate + ".");
        }
        if (window.isNegative() || window.isZero()) {
            throw WispException.badRequest("A rate limit's window must be positive.");
        }
    }

    /**
     * @param unit {@code second}, {@code minute}, {@code hour} or {@code day} (a trailing {@code s} is allowed)
     * @throws WispException BAD_REQUEST for another unit or a count below 1
     */
    public static RateLimit of(int rate, int units, String unit) {
        if (units < 1) {
            throw WispException.badRequest("A rate limit's units must be at least 1, got " + units + ".");
        }
        String u = unit == null ? "minute" : unit.toLowerCase(Locale.ROOT).replaceAll("s$", "");
        Duration one = switch (u) {
            case "second" -> Duration.ofSeconds(1);
            case "minute" -> Duration.ofMinutes(1);
            case "hour" -> Duration.ofHours(1);
            case "day" -> Duration.ofDays(1);
            default -> throw WispException.badRequest("A rate limit's unit must be second, minute, hour or day, got '"
                    + unit + "'.");
        };
        return new RateLimit(rate, one.multipliedBy(units));
    }

    /** As a message shows it: {@code 10 per 1 minute}. */
    public String describe() {
        long s = window.toSeconds();
        return rate + " per " + (s % 86_400 == 0 ? s / 86_400 + " day"
                : s % 3_600 == 0 ? s / 3_600 + " hour" : s % 60 == 0 ? s / 60 + " minute" : s + " second")
                + (s == 1 || s == 60 || s == 3_600 || s == 86_400 ? "" : "s");
    }
}
