package dev.wisp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code ./wisp activation list|get|result|logs|poll}. */
final class ActivationCommands {
    static final String USAGE = """
            ./wisp activation list [NAME] [-l/--limit N] [-s/--skip N] [--since WHEN] [--upto WHEN]
                  WHEN: epoch milliseconds, or an age: 30s, 10m, 2h, 1d
            ./wisp activation get ID | -l/--last [FIELD] [--name NAME]
            ./wisp activation result ID | -l/--last [--name NAME]
            ./wisp activation logs ID | -l/--last [-r/--strip]
            ./wisp activation logs -f/--follow [NAME] [--exit SECONDS]   the logs of new activations as they end
            ./wisp activation poll [NAME] [--since-seconds N] [--exit SECONDS]
            """;
    static final List<Args.Flag> FLAGS = List.of(new Args.Flag("limit", null, 1), new Args.Flag("skip", null, 1),
            new Args.Flag("since", null, 1), new Args.Flag("upto", null, 1), new Args.Flag("last", "l", 0),
            new Args.Flag("name", null, 1), new Args.Flag("strip", "r", 0), new Args.Flag("follow", "f", 0),
            new Args.Flag("exit", null, 1), new Args.Flag("since-seconds", null, 1));
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private ActivationCommands() {
    }

    static void run(String verb, Context c) {
        switch (verb) {
            case "list" -> list(c);
            case "get" -> get(c);
            case "result" -> part(c, "result");
            case "logs" -> {
                if (c.args.has("follow")) {
                    follow(c, false);
                } else {
                    part(c, "logs");
                }
            }
            case "poll" -> follow(c, true);
            default -> throw CliException.usage("unknown command 'activation " + verb + "'; usage:\n" + USAGE);
        }
    }

    private static String base(Context c) {
        return "/namespaces/" + EntityName.enc(c.props().namespace()) + "/activations";
    }

    private static void list(Context c) {
        c.args.atMost(1, "./wisp activation list [NAME]");
        Map<String, String> q = ActionCommands.page(c);
        q.put("name", c.args.optionalPositional(0));
        q.put("since", when(c.args.value("since"), "--since"));
        q.put("upto", when(c.args.value("upto"), "--upto"));
        q.put("docs", "true");
        JsonNode list = c.api().ok("list activations", "GET", base(c), q, null);
        if (c.json()) {
            c.out.println(Json.pretty(list));
            return;
        }
        Table t = new Table("DATETIME", "ACTIVATION ID", "KIND", "START", "DURATION", "STATUS", "ENTITY");
        for (JsonNode a : list) {
            boolean trigger = !a.has("end") || a.path("end").asLong() == 0;
            String kind = trigger ? "trigger" : EntitySummary.annotation(a, "kind");
            String start = trigger ? "" : EntitySummary.annotation(a, "initTime").isEmpty() ? "warm" : "cold";
            t.row(TIME.format(Instant.ofEpochMilli(a.path("start").asLong())), Json.text(a, "activationId"), kind,
                    start, trigger ? "" : a.path("duration").asLong() + "ms", Json.text(a.path("response"), "status"),
                    Json.text(a, "namespace") + "/" + Json.text(a, "name") + ":" + Json.text(a, "version"));
        }
        t.print(c.out);
    }

    /** Epoch milliseconds from epoch milliseconds or an age ({@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}). */
    static String when(String text, String flag) {
        if (text == null) {
            return null;
        }
        if (text.matches("\\d{10,}")) {
            return text;
        }
        if (!text.matches("\\d+[smhd]")) {
            throw CliException.usage(flag + " takes epoch milliseconds or an age like 30s, 10m, 2h, 1d; not '"
                    + text + "'");
        }
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        long unit = switch (text.charAt(text.length() - 1)) {
            case 's' -> 1_000L;
            case 'm' -> 60_000L;
            case 'h' -> 3_600_000L;
            default -> 86_400_000L;
        };
        return String.valueOf(System.currentTimeMillis() - n * unit);
    }

    /** The id given, or with {@code --last} the newest activation's (of {@code --name}, if given). */
    private static String id(Context c) {
        if (c.args.has("last")) {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("limit", "1");
            q.put("name", c.args.value("name"));
            JsonNode list = c.api().ok("find the last activation", "GET", base(c), q, null);
            if (list == null || list.isEmpty()) {
                throw CliException.failed("there are no activations"
                        + (c.args.has("name") ? " of " + c.args.value("name") : "") + " yet");
            }
            return Json.text(list.get(0), "activationId");
        }
        return c.args.positional(0, "the activation ID (or --last)");
    }

    private static void get(Context c) {
        String id = id(c);
        JsonNode a = c.api().ok("get activation " + id, "GET", base(c) + "/" + EntityName.enc(id), null, null);
        String field = c.args.optionalPositional(c.args.has("last") ? 0 : 1);
        if (field != null) {
            c.out.println(Json.pretty(a.path(field)));
            return;
        }
        if (!c.json()) {
            c.out.println("ok: got activation " + id);
        }
        c.out.println(Json.pretty(a));
    }

    private static void part(Context c, String part) {
        String id = id(c);
        JsonNode body = c.api().ok("get the " + part + " of activation " + id, "GET",
                base(c) + "/" + EntityName.enc(id) + "/" + part, null, null);
        if (c.json()) {
            c.out.println(Json.pretty(body));
            return;
        }
        if (part.equals("result")) {
            c.out.println(Json.pretty(body.has("result") ? body.get("result") : body));
            return;
        }
        for (JsonNode line : body.path("logs")) {
            c.out.println(c.args.has("strip") ? strip(line.asText()) : line.asText());
        }
    }

    /** A log line without its time and stream: {@code 2024-...Z stdout: hello} is {@code hello}. */
    static String strip(String line) {
        for (String stream : new String[]{" stdout: ", " stderr: "}) {
            int at = line.indexOf(stream);
            if (at > 0 && at < 40) {
                return line.substring(at + stream.length());
            }
        }
        return line;
    }

    /**
     * Prints activations as they end, oldest first, polling every second: {@code poll} with a header per
     * activation, {@code logs -f} the log lines only. Stops after {@code --exit} seconds, else on Ctrl-C.
     */
    private static void follow(Context c, boolean headers) {
        c.args.atMost(1, headers ? "./wisp activation poll [NAME]" : "./wisp activation logs -f [NAME]");
        Integer exit = c.args.intValue("exit");
        Integer back = c.args.intValue("since-seconds");
        long started = System.currentTimeMillis();
        long since = started - (back == null ? 0 : back * 1000L);
        long deadline = exit == null ? Long.MAX_VALUE : started + exit * 1000L;
        Set<String> seen = new HashSet<>();
        String name = c.args.optionalPositional(0);
        if (headers && !c.json()) {
            c.err.println("wisp: polling for activations" + (name == null ? "" : " of " + name)
                    + (exit == null ? " (Ctrl-C stops)" : " for " + exit + " s"));
        }
        while (System.currentTimeMillis() < deadline) {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("name", name);
            q.put("since", String.valueOf(since));
            q.put("limit", "200");
            q.put("docs", "true");
            JsonNode list = c.api().ok("list activations", "GET", base(c), q, null);
            List<JsonNode> fresh = new ArrayList<>();
            for (JsonNode a : list) {
                if (seen.add(Json.text(a, "activationId"))) {
                    fresh.add(0, a);
                }
            }
            for (JsonNode a : fresh) {
                if (c.json()) {
                    c.out.println(Json.compact(a));
                    continue;
                }
                if (headers) {
                    c.out.println();
                    c.out.println("Activation: '" + Json.text(a, "name") + "' (" + Json.text(a, "activationId")
                            + ") " + Json.text(a.path("response"), "status"));
                }
                for (JsonNode line : a.path("logs")) {
                    c.out.println(headers ? "  " + line.asText() : line.asText());
                }
            }
            c.out.flush();
            try {
                Thread.sleep(Math.max(0, Math.min(1000, deadline - System.currentTimeMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
