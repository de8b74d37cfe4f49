package dev.wisp.common.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
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
import java.util.function.Function;

/**
 * Raw configuration values read once at start-up, later sources overriding earlier ones: a properties file
 * ({@code --config=FILE}), environment variables ({@code WISP_KAFKA_BOOTSTRAP} for {@code kafka.bootstrap}),
 * then command-line flags ({@code --kafka.bootstrap=HOST:PORT}). Components read them through their
 * {@link Setting} definitions ({@link #get(Setting)}); every bad value is collected, and {@link #check()} throws
 * one {@link ConfigException} listing them all.
 *
 * <p>Each getter also notes the key it was asked for (in this object and every copy {@link #with} makes), so that
 * once a process has read its whole configuration {@link #refuseUnknown()} can refuse, together with the bad
 * values, a flag nobody asked for, which is most likely misspelt ({@code --controler.port}). A key from the
 * environment or the file may be meant for another component (one file may serve every one), so it is refused only
 * when it looks like a key of this process that it did not ask for: in one of the namespaces of the keys it asked
 * for or of {@link CommonSettings} ({@code controller.*}, {@code limits.*}, ...), or a misspelling of one of them.
 */
public final class Settings {
    private final Map<String, String> values;
    private final Map<String, String> sources;
    private final Set<String> asked;
    private final List<String> problems;

    public Settings(Map<String, String> values) {
        this(values, Map.of(), ConcurrentHashMap.newKeySet(), new ArrayList<>());
    }

    private Settings(Map<String, String> values, Map<String, String> sources, Set<String> asked,
                     List<String> problems) {
        this.values = Map.copyOf(values);
        this.sources = Map.copyOf(sources);
        this.asked = asked;
        this.problems = problems;
    }

    /** Reads file, environment and flags; anything in {@code args} that is not a flag is ignored. */
    public static Settings load(String[] args, Map<String, String> env) {
        Map<String, String> merged = new HashMap<>();
        Map<String, String> sources = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--config=")) {
                Path file = Path.of(arg.substring("--config=".length()));
                try (Reader r = Files.newBufferedReader(file)) {
                    Properties p = new Properties();
                    p.load(r);
                    p.forEach((k, v) -> {
                        merged.put(k.toString(), v.toString().trim());
                        sources.put(k.toString(), k + " in " + file);
                    });
                } catch (IOException e) {
                    problems.add("config file " + file + ": " + e.getMessage());
                }
            }
        }
        env.forEach((k, v) -> {
            if (k.startsWith("WISP_")) {
                String key = k.substring(5).toLowerCase(Locale.ROOT).replace('_', '.');
                merged.put(key, v);
                sources.put(key, k);
            }
        });
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=") && !arg.startsWith("--config=")) {
                int eq = arg.indexOf('=');
                String key = arg.substring(2, eq);
                merged.put(key, arg.substring(eq + 1));
                sources.put(key, FLAG + key);
            }
        }
        return new Settings(merged, sources, ConcurrentHashMap.newKeySet(), problems);
    }

    private static final String FLAG = "--";

    /**
     * The configuration of one process: its settings loaded from {@code args} and {@code env}, made into a
     * configuration by {@code from} (which reads every key the process knows), with any flag it did not read and
     * any environment or file key that looks like one of its own but is not ({@link #refuseUnknown()}) refused
     * together with the bad values.
     *
     * @throws ConfigException listing every bad value and every unknown key
     */
    public static <C> C configure(String[] args, Map<String, String> env, Function<Settings, C> from) {
        Settings s = load(args, env);
        C config = null;
        try {
            config = from.apply(s);
        } catch (ConfigException e) {
            // the same problems again below, with the unknown keys
        }
        s.refuseUnknown();
        return config;
    }

    public Settings with(String key, String value) {
        Map<String, String> copy = new HashMap<>(values);
        copy.put(key, value);
        Map<String, String> from = new HashMap<>(sources);
        from.remove(key);
        return new Settings(copy, from, asked, new ArrayList<>());
    }

    /** The value of a defined setting; its default if unset, or if the value given is bad (a problem then). */
    public <T> T get(Setting<T> setting) {
        return get(setting, setting.fallback());
    }

    /** The value of a defined setting, with a default computed at start in place of the definition's. */
    public <T> T get(Setting<T> setting, T fallback) {
        String v = string(setting.key(), null);
        if (v == null) {
            if (setting.isRequired() && fallback == null) {
                problems.add(setting.key() + " is required (flag --" + setting.key() + "=..., or env "
                        + envName(setting.key()) + ")");
            }
            return fallback;
        }
        try {
            return setting.parse(v);
        } catch (IllegalArgumentException e) {
            problems.add(setting.key() + "=" + v + given(setting.key()) + " " + e.getMessage() + "; allowed: "
                    + setting.allowed());
            return fallback;
        }
    }

    /** Checks the value of each of {@code settings} that is set, and counts them all as asked for. */
    public void validate(Collection<Setting<?>> settings) {
        for (Setting<?> setting : settings) {
            if (string(setting.key(), null) != null) {
                get(setting);
            }
            asked.add(setting.key());
        }
    }

    private String given(String key) {
        String source = sources.get(key);
        return source == null || source.startsWith(FLAG) ? "" : " (" + source + ")";
    }

    private static String envName(String key) {
        return "WISP_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    public String string(String key, String fallback) {
        asked.add(key);
        String v = values.get(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    public String required(String key) {
        String v = get(Setting.required(key, ""));
        return v == null ? "" : v;
    }

    public int integer(String key, int fallback, int min, int max) {
        return get(Setting.integer(key, fallback, min, max, ""));
    }

    public boolean bool(String key, boolean fallback) {
        return get(Setting.bool(key, fallback, ""));
    }

    /** A duration as {@link Setting#parseDuration} reads it; negative durations are refused. */
    public Duration duration(String key, Duration fallback) {
        return get(Setting.duration(key, fallback, ""), fallback);
    }

    /** Records a problem found by a caller's own parsing, reported with the others by {@link #check()}. */
    public void problem(String description) {
        problems.add(description);
    }

    /** Flags given on the command line that no getter was asked for (yet), sorted. */
    public List<String> unknownFlags() {
        return sources.keySet().stream().filter(k -> sources.get(k).startsWith(FLAG) && !asked.contains(k))
                .sorted().toList();
    }

    /**
     * Keys from the environment or a file that look like a Wisp key (in the namespace of one of {@code defined},
     * or a misspelling of one) but that are not in {@code defined} and no getter was asked for, sorted.
     */
    List<String> unknownOtherKeys(Set<String> defined) {
        Set<String> namespaces = new HashSet<>();
        defined.forEach(k -> namespaces.add(k.substring(0, Math.max(0, k.indexOf('.')))));
        // a one-word variable (WISP_HOME, the launcher's) is never a setting
        return sources.keySet().stream()
                .filter(k -> !sources.get(k).startsWith(FLAG) && k.contains(".") && !asked.contains(k)
                        && !defined.contains(k))
                .filter(k -> namespaces.contains(k.substring(0, k.indexOf('.'))) || nearest(k, defined).isPresent())
                .sorted().toList();
    }

    /**
     * Throws one {@link ConfigException} naming every bad value found so far and every unknown key given: a flag
     * no getter was asked for, with the known key nearest to it, and a key from the environment or a file that
     * looks like one of this process's but is not. Call once the process has read its whole configuration.
     */
    public void refuseUnknown() {
        Set<String> defined = new HashSet<>(asked);
        new CommonSettings().settings().forEach(d -> defined.add(d.key()));
        List<String> all = flagProblems();
        for (String k : unknownOtherKeys(defined)) {
            String source = sources.get(k);
            boolean env = source.startsWith("WISP_");
            all.add("unknown setting " + source + nearest(k, defined)
                    .map(n -> " (did you mean " + (env ? envName(n) : n) + "?)").orElse(""));
        }
        throwIfAny(all);
    }

    /**
     * Throws one {@link ConfigException} naming every bad value found so far and every flag no getter was asked
     * for, leaving the environment and files alone (for processes whose keys are not Wisp settings).
     */
    public void refuseUnknownFlags() {
        throwIfAny(flagProblems());
    }

    /** The bad values found so far, then every flag no getter was asked for. */
    private List<String> flagProblems() {
        List<String> all = new ArrayList<>(problems);
        for (String f : unknownFlags()) {
            all.add("unknown setting --" + f + nearest(f, asked).map(k -> " (did you mean --" + k + "?)").orElse(""));
        }
        return all;
    }

    private static void throwIfAny(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** The known key closest to {@code key}, if it is a likely misspelling of it (a few edits away). */
    private static Optional<String> nearest(String key, Set<String> known) {
        return known.stream().filter(k -> distance(k, key) <= Math.max(2, key.length() / 5))
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
        throwIfAny(problems);
    }
}
