package dev.wisp.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the CLI finds its API host, key and namespace, as {@code wsk} does: the properties file
 * ({@code $WSK_CONFIG_FILE}, else {@code ~/.wskprops}: lines {@code APIHOST=}, {@code AUTH=}, {@code NAMESPACE=}),
 * overridden by {@code __OW_API_HOST}, {@code __OW_API_KEY}, {@code __OW_NAMESPACE}, overridden by the flags
 * {@code --apihost}, {@code --auth}/{@code -u}, {@code --namespace}.
 */
final class Props {
    static final List<String> KEYS = List.of("APIHOST", "AUTH", "NAMESPACE");
    private static final Map<String, String> ENV = Map.of("APIHOST", "__OW_API_HOST", "AUTH", "__OW_API_KEY",
            "NAMESPACE", "__OW_NAMESPACE");
    private static final Map<String, String> FLAG = Map.of("APIHOST", "apihost", "AUTH", "auth",
            "NAMESPACE", "namespace");

    private final Path file;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();

    private Props(Path file) {
        this.file = file;
    }

    static Path file(Map<String, String> env) {
        String configured = env.get("WSK_CONFIG_FILE");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".wskprops");
    }

    static Props load(Map<String, String> env, Args args) {
        Props props = new Props(file(env));
        props.readFile().forEach((k, v) -> props.set(k, v, props.file.toString()));
        for (String key : KEYS) {
            String fromEnv = env.get(ENV.get(key));
            if (fromEnv != null && !fromEnv.isBlank()) {
                props.set(key, fromEnv, "$" + ENV.get(key));
            }
            String fromFlag = args.value(FLAG.get(key));
            if (fromFlag != null) {
                props.set(key, fromFlag, "--" + FLAG.get(key));
            }
        }
        return props;
    }

    private void set(String key, String value, String source) {
        values.put(key, value.trim());
        sources.put(key, source);
    }

    Path file() {
        return file;
    }

    String get(String key) {
        return values.get(key);
    }

    /** Where a value came from: the file, a variable or a flag; null when it is not set. */
    String source(String key) {
        return sources.get(key);
    }

    /** The API host as a URL without a trailing slash; a bare host gets http for loopback, else https. */
    String apiHost() {
        String host = values.get("APIHOST");
        if (host == null || host.isBlank()) {
            throw new CliException(CliException.UNREACHABLE, "no API host: set APIHOST in " + file
                    + " (./wisp property set --apihost http://127.0.0.1:3233), $__OW_API_HOST or --apihost;"
                    + " ./wisp standalone writes ~/.wskprops when it starts");
        }
        if (!host.contains("://")) {
            boolean local = host.startsWith("localhost") || host.startsWith("127.") || host.startsWith("[::1]");
            host = (local ? "http://" : "https://") + host;
        }
        return host.endsWith("/") ? host.substring(0, host.length() - 1) : host;
    }

    String auth() {
        String auth = values.get("AUTH");
        if (auth == null || auth.isBlank()) {
            throw new CliException(CliException.UNREACHABLE, "no key: set AUTH (uuid:key) in " + file
                    + " (./wisp property set --auth ...), $__OW_API_KEY or --auth");
        }
        return auth;
    }

    /** The namespace entity names are resolved in: NAMESPACE, else {@code _} (the key's own). */
    String namespace() {
        String ns = values.get("NAMESPACE");
        return ns == null || ns.isBlank() ? "_" : ns;
    }

    private Map<String, String> readFile() {
        Map<String, String> read = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return read;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.startsWith("#")) {
                    read.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
        } catch (IOException e) {
            throw CliException.failed("cannot read " + file + ": " + e.getMessage());
        }
        return read;
    }

    /** Sets (a null value: removes) keys in the properties file, keeping its other lines. */
    void write(Map<String, String> changes) {
        List<String> lines = new ArrayList<>();
        try {
            if (Files.isRegularFile(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    int eq = line.indexOf('=');
                    if (eq < 0 || !changes.containsKey(line.substring(0, eq).trim())) {
                        lines.add(line);
                    }
                }
            }
            changes.forEach((k, v) -> {
                if (v != null) {
                    lines.add(k + "=" + v);
                }
            });
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
