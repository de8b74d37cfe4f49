package dev.wisp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code ./wisp namespace list} and {@code ./wisp property get|set|unset}: who and where the CLI talks to. */
final class SettingsCommands {
    static final String USAGE = """
            ./wisp namespace list
            ./wisp property get [--apihost] [--auth] [--namespace] [--all]
            ./wisp property set [--apihost URL] [--auth UUID:KEY] [--namespace NS]
            ./wisp property unset [--apihost] [--auth] [--namespace]
                  the file is $WSK_CONFIG_FILE, else ~/.wskprops; $__OW_API_HOST, $__OW_API_KEY and
                  $__OW_NAMESPACE override it, and the same flags on any command override those
            """;
    /** property's own flags: get and unset take them without a value, so they are read before parsing. */
    static final List<String> PROPERTY_FLAGS = List.of("apihost", "auth", "namespace");

    private SettingsCommands() {
    }

    static void namespaces(String verb, Context c) {
        if (!verb.equals("list")) {
            throw CliException.usage("unknown command 'namespace " + verb + "'; usage: ./wisp namespace list");
        }
        c.args.atMost(0, "./wisp namespace list");
        JsonNode list = c.api().ok("list namespaces", "GET", "/namespaces", null, null);
        Entities.print(c, list, "NAMESPACE", n -> new Object[]{n.asText()});
    }

    /** {@code property get|unset} with value-less flags ({@code tokens} before parsing), or {@code set}. */
    static void property(String verb, Context c, List<String> chosen) {
        Props props = c.props();
        switch (verb) {
            case "get" -> {
                List<String> keys = chosen.isEmpty() ? Props.KEYS : chosen;
                ObjectNode json = Json.object();
                Table t = new Table("PROPERTY", "VALUE", "FROM");
                for (String key : keys) {
                    String value = key.equals("NAMESPACE") ? props.namespace() : props.get(key);
                    json.put(key, value);
                    String shown = key.equals("AUTH") && value != null && !chosen.contains("AUTH") ? mask(value) : value;
                    t.row(key, shown == null ? "(not set)" : shown,
                            props.source(key) == null ? "default" : props.source(key));
                }
                if (c.json()) {
                    c.out.println(Json.pretty(json));
                } else {
                    t.print(c.out);
                }
            }
            case "set" -> {
                Map<String, String> changes = new LinkedHashMap<>();
                for (String key : Props.KEYS) {
                    String v = c.args.value(key.equals("AUTH") ? "auth" : key.toLowerCase());
                    if (v != null) {
                        changes.put(key, v);
                    }
                }
                if (changes.isEmpty()) {
                    throw CliException.usage("property set needs --apihost, --auth or --namespace with a value");
                }
                props.write(changes);
                changes.forEach((k, v) -> c.done("set " + k + " in " + props.file(), null));
            }
            case "unset" -> {
                if (chosen.isEmpty()) {
                    throw CliException.usage("property unset needs --apihost, --auth or --namespace");
                }
                Map<String, String> changes = new LinkedHashMap<>();
                chosen.forEach(k -> changes.put(k, null));
                props.write(changes);
                chosen.forEach(k -> c.done("unset " + k + " in " + props.file(), null));
            }
            default -> throw CliException.usage("unknown command 'property " + verb + "'; usage:\n" + USAGE);
        }
    }

    /** A key shown in part: its uuid and the key's first characters. */
    private static String mask(String auth) {
        int colon = auth.indexOf(':');
        return colon < 0 ? "****" : auth.substring(0, colon + 1) + auth.substring(colon + 1, Math.min(auth.length(),
                colon + 5)) + "****";
    }
}
