package dev.wisp.common.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Raw configuration values read once at start-up, later sources overriding earlier ones: a properties file
 * ({@code --config=FILE}), environment variables ({@code WISP_KAFKA_BOOTSTRAP} for {@code kafka.bootstrap}),
 * then command-line flags ({@code --kafka.bootstrap=HOST:PORT}). Typed getters collect every problem; call
 * {@link #check()} once after reading all keys, and it throws one {@link ConfigException} listing them.
 */
public final class Settings {
    private final Map<String, String> values;
    private final List<String> problems = new ArrayList<>();

    public Settings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** Reads file, environment and flags; anything in {@code args} that is not a flag is ignored. */
    public static Settings load(String[] args, Map<String, String> env) {
        Map<String, String> merged = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--config=")) {
                Path file = Path.of(arg.substring("--config=".length()));
                try (Reader r = Files.newBufferedReader(file)) {
                    Properties p = new Properties();
                    p.load(r);
                    p.forEach((k, v) -> merged.put(k.toString(), v.toString().trim()));
                } catch (IOException e) {
                    problems.add("config file " + file + ": " + e.getMessage());
                }
            }
        }
        env.forEach((k, v) -> {
            if (k.startsWith("WISP_")) {
                merged.put(k.substring(5).toLowerCase(Locale.ROOT).replace('_', '.'), v);
            }
        });
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=") && !arg.startsWith("--config=")) {
                int eq = arg.indexOf('=');
                merged.put(arg.substring(2, eq), arg.substring(eq + 1));
            }
        }
        Settings s = new Settings(merged);
        s.problems.addAll(problems);
        return s;
    }

    public Settings with(String key, String value) {
        Map<String, String> copy = new HashMap<>(values);
        copy.put(key, value);
        return new Settings(copy);
    }

    public String string(String key, String fallback) {
        String v = values.get(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    public String required(String key) {
        String v = string(key, null);
        if (v == null) {
            problems.add(key + " is required (flag --" + key + "=..., or env WISP_"
                    + key.toUpperCase(Locale.ROOT).replace('.', '_') + ")");
            return "";
        }
        return v;
    }

    public int integer(String key, int fallback, int min, int max) {
        String v = string(key, null);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                problems.add(key + "=" + v + " is outside " + min + ".." + max);
                return fallback;
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(key + "=" + v + " is not an integer");
            return fallback;
        }
    }

    public boolean bool(String key, boolean fallback) {
        String v = string(key, null);
        if (v == null) {
            return fallback;
        }
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            problems.add(key + "=" + v + " is not true or false");
            return fallback;
        }
        return Boolean.parseBoolean(v);
    }

    /**
     * A duration written as milliseconds ({@code 500ms}), seconds ({@code 30s}), minutes ({@code 5m}), hours
     * ({@code 24h}) or days ({@code 7d}); a bare number is milliseconds. Negative durations are refused.
     */
    public Duration duration(String key, Duration fallback) {
        String v = string(key, null);
        if (v == null) {
            return fallback;
        }
        try {
            Duration d;
            if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
            } else if (v.endsWith("d")) {
                d = Duration.ofDays(Long.parseLong(v.substring(0, v.length() - 1)));
            } else {
                d = Duration.ofMillis(Long.parseLong(v));
            }
            if (d.isNegative()) {
                problems.add(key + "=" + v + " is negative");
                return fallback;
            }
            return d;
        } catch (NumberFormatException e) {
            problems.add(key + "=" + v + " is not a duration such as 500ms, 30s, 5m, 24h or 7d");
            return fallback;
        }
    }

    /** Records a problem found by a caller's own parsing, reported with the others by {@link #check()}. */
    public void problem(String description) {
        problems.add(description);
    }

    /** Throws if any getter found a problem. */
    public void check() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
