package dev.wisp.common.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Raw configuration values read once at start-up, later sources overriding earlier ones: a properties file
 * ({@code --config=FILE}), environment variables ({@code WISP_KAFKA_BOOTSTRAP} for {@code kafka.bootstrap}),
 * then command-line flags ({@code --kafka.bootstrap=HOST:PORT}). Typed getters collect every problem; call
 * {@link #check()} once after reading all keys, and it throws one {@link ConfigException} listing them.
 *
 * <p>Each getter also notes the key it was asked for (in this object and every copy {@link #with} makes), so that
 * once a process has read its whole configuration {@link #refuseUnknownFlags()} can refuse a flag nobody asked
 * for, which is most likely misspelt ({@code --controler.port}). Environment variables and the config file may
 * hold keys of other components and are not checked.
 */
public final class Settings {
    private final Map<String, String> values;
    private final Set<String> flags;
    private final Set<String> asked;
    private final List<String> problems = new ArrayList<>();

    public Settings(Map<String, String> values) {
        this(values, Set.of(), ConcurrentHashMap.newKeySet());
    }

    private Settings(Map<String, String> values, Set<String> flags, Set<String> asked) {
        this.values = Map.copyOf(values);
        this.flags = Set.copyOf(flags);
        this.asked = asked;
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
        Set<String> flags = new HashSet<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=") && !arg.startsWith("--config=")) {
                int eq = arg.indexOf('=');
                merged.put(arg.substring(2, eq), arg.substring(eq + 1));
                flags.add(arg.substring(2, eq));
            }
        }
        Settings s = new Settings(merged, flags, ConcurrentHashMap.newKeySet());
        s.problems.addAll(problems);
        return s;
    }

    /**
     * The configuration of one process: its settings loaded from {@code args} and {@code env}, made into a
     * configuration by {@code from} (which reads every key the process knows), with any flag it did not read
     * refused.
     *
     * @throws ConfigException listing every problem and every unknown flag
     */
    public static <C> C configure(String[] args, Map<String, String> env, java.util.function.Function<Settings, C> from) {
        Settings s = load(args, env);
        C config = from.apply(s);
        s.refuseUnknownFlags();
        return config;
    }

    public Settings with(String key, String value) {
        Map<String, String> copy = new HashMap<>(values);
        copy.put(key, value);
        return new Settings(copy, flags, asked);
    }

    public String string(String key, String fallback) {
        asked.add(key);
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

    /** Flags given on the command line that no getter was asked for (yet), sorted. */
    public List<String> unknownFlags() {
        return flags.stream().filter(f -> !asked.contains(f)).sorted().toList();
    }

    /**
     * Throws a {@link ConfigException} naming every flag no getter was asked for, with the known key nearest to
     * each. Call once the process has read its whole configuration.
     */
    public void refuseUnknownFlags() {
        List<String> unknown = unknownFlags();
        if (!unknown.isEmpty()) {
            throw new ConfigException(unknown.stream().map(f -> "unknown setting --" + f + nearest(f)
                    .map(k -> " (did you mean --" + k + "?)").orElse("")).toList());
        }
    }

    /** The asked-for key closest to {@code key}, if it is a likely misspelling of it (a few edits away). */
    private Optional<String> nearest(String key) {
        return asked.stream().filter(k -> distance(k, key) <= Math.max(2, key.length() / 5))
                .min(Comparator.comparingInt((String k) -> distance(k, key)).thenComparing(k -> k));
    }

    /** Levenshtein distance: the single-character edits that turn {@code a} into {@code b}. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** Throws if any getter found a problem. */
    public void check() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
