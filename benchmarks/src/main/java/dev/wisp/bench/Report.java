package dev.wisp.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A benchmark's results: a table on stdout and the same rows as JSON under {@code results/}. */
final class Report {
    private final String scenario;
    private final List<String[]> rows = new ArrayList<>();
    private final List<String[]> rates = new ArrayList<>();
    private final List<String[]> outcomes = new ArrayList<>();
    private final List<String[]> footprints = new ArrayList<>();
    private final List<String[]> idle = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final ArrayNode json = Json.mapper().createArrayNode();
    private final ArrayNode footprintJson = Json.mapper().createArrayNode();
    private final ArrayNode notesJson = Json.mapper().createArrayNode();
    private Footprint.Usage lastUsage;

    Report(String scenario) {
        this.scenario = scenario;
    }

    /** One measured line: its latency percentiles, and the ratio of its median to {@code floorMedian}. */
    void row(String name, Samples s, double floorMedian) {
        double ratio = Double.isNaN(floorMedian) ? Double.NaN : s.median() / floorMedian;
        rows.add(new String[] {name, String.valueOf(s.count()), fmt(s.median()), fmt(s.percentile(90)),
                fmt(s.percentile(99)), Double.isNaN(ratio) ? (name.startsWith("floor") ? "floor" : "-")
                : String.format(Locale.ROOT, "%.2fx", ratio)});
        ObjectNode o = json.addObject();
        o.put("name", name).put("samples", s.count()).put("p50_ms", s.median()).put("p90_ms", s.percentile(90))
                .put("p99_ms", s.percentile(99));
        if (!Double.isNaN(ratio)) {
            o.put("ratio_to_floor", ratio);
        }
    }

    /** One throughput line: a rate per second, its errors, and its ratio to {@code floorRate}. */
    void rate(String name, double perSecond, long errors, double floorRate) {
        double ratio = Double.isNaN(floorRate) ? Double.NaN : perSecond / floorRate;
        rates.add(new String[] {name, String.format(Locale.ROOT, "%.1f", perSecond), String.valueOf(errors),
                Double.isNaN(ratio) ? (name.startsWith("floor") ? "floor" : "-") : String.format(Locale.ROOT, "%.0f%%", ratio * 100)});
        ObjectNode o = json.addObject();
        o.put("name", name).put("per_second", perSecond).put("errors", errors);
        if (!Double.isNaN(ratio)) {
            o.put("ratio_to_floor", ratio);
        }
    }

    /** One durability line: what was accepted in a window, refused, lost, run twice, and the worst delay. */
    void outcome(String name, int accepted, int refused, int lost, int duplicates, long maxDelayMs) {
        outcomes.add(new String[] {name, String.valueOf(accepted), String.valueOf(refused), String.valueOf(lost),
                String.valueOf(duplicates), String.valueOf(maxDelayMs)});
        json.addObject().put("name", name).put("accepted", accepted).put("refused", refused).put("lost", lost)
                .put("duplicates", duplicates).put("max_delay_ms", maxDelayMs);
    }

    /**
     * The CPU every process spent on a measure's invokes, per invoke, and each process group's resident memory
     * at its end; also added to the measure's row in the JSON when one of that name exists.
     */
    void footprint(String name, Footprint.Usage u) {
        lastUsage = u;
        String[] cells = new String[3 + Footprint.GROUPS.size()];
        cells[0] = name;
        cells[1] = String.valueOf(u.invokes());
        cells[2] = fmt(u.cpuMsPerInvoke());
        for (int i = 0; i < u.groups().size(); i++) {
            cells[3 + i] = u.invokes() == 0 ? "-" : fmt(u.groups().get(i).cpuMs() / u.invokes());
        }
        footprints.add(cells);
        ObjectNode o = footprintJson.addObject();
        o.put("name", name).put("invokes", u.invokes()).put("seconds", u.seconds()).put("cpu_ms", u.cpuMs())
                .put("cpu_ms_per_invoke", u.cpuMsPerInvoke()).put("cores_busy", u.cores());
        ArrayNode groups = o.putArray("processes");
        for (Footprint.Group g : u.groups()) {
            groups.addObject().put("group", g.name()).put("processes", g.processes()).put("cpu_ms", g.cpuMs())
                    .put("rss_mb", g.rssMb());
        }
        for (var row : json) {
            if (row.path("name").asText().equals(name)) {
                ((ObjectNode) row).put("cpu_ms_per_invoke", u.cpuMsPerInvoke());
            }
        }
    }

    /** One idle process group: how many processes, their resident memory and the share of one core they keep busy. */
    void idle(String name, int processes, double rssMb, double cpuPercentOfCore) {
        idle.add(new String[] {name, String.valueOf(processes), fmt(rssMb), fmt(cpuPercentOfCore)});
        json.addObject().put("name", name).put("processes", processes).put("rss_mb", rssMb)
                .put("cpu_percent_of_core", cpuPercentOfCore);
    }

    /** A line said under the tables and kept in the JSON's {@code notes} (e.g. how a warm-up ended). */
    void note(String text) {
        notes.add(text);
        notesJson.add(text);
    }

    void print() {
        System.out.println();
        System.out.println("== " + scenario + " ==");
        if (!rows.isEmpty()) {
            printTable(new String[] {"measure", "n", "p50 ms", "p90 ms", "p99 ms", "vs floor"}, rows);
        }
        if (!rates.isEmpty()) {
            printTable(new String[] {"measure", "per second", "errors", "of floor"}, rates);
        }
        if (!outcomes.isEmpty()) {
            printTable(new String[] {"window", "accepted", "refused", "lost", "duplicates", "max delay ms"}, outcomes);
        }
        if (!idle.isEmpty()) {
            printTable(new String[] {"idle", "processes", "RSS MB", "CPU % of a core"}, idle);
        }
        if (!footprints.isEmpty()) {
            System.out.println();
            System.out.println("CPU ms per invoke, every process (/proc utime+stime):");
            String[] header = new String[3 + Footprint.GROUPS.size()];
            header[0] = "measure";
            header[1] = "invokes";
            header[2] = "all";
            String[] short_ = {"JVM", "PouchDB", "containers", "shims", "dockerd", "containerd", "Kafka",
                "proxies"};
            System.arraycopy(short_, 0, header, 3, short_.length);
            printTable(header, footprints);
            StringBuilder rss = new StringBuilder("resident memory at the end, MB:");
            for (Footprint.Group g : lastUsage.groups()) {
                rss.append(String.format(Locale.ROOT, " %s %.0f%s;", g.name(), g.rssMb(),
                        g.processes() == 1 ? "" : " (" + g.processes() + " processes)"));
            }
            System.out.println(rss.substring(0, rss.length() - 1));
        }
        for (String n : notes) {
            System.out.println(n);
        }
    }

    private static void printTable(String[] header, List<String[]> table) {
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            width[i] = header[i].length();
            for (String[] r : table) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        printRow(header, width);
        for (String[] r : table) {
            printRow(r, width);
        }
    }

    private static void printRow(String[] cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String c = cells[i];
            b.append(i == 0 ? String.format("%-" + width[i] + "s", c) : String.format("%" + width[i] + "s", c));
            b.append("  ");
        }
        System.out.println(b.toString().stripTrailing());
    }

    Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectNode doc = Json.object().put("scenario", scenario).put("at", Instant.now().toString());
        doc.set("rows", json);
        doc.set("footprints", footprintJson);
        doc.set("notes", notesJson);
        Path file = dir.resolve(scenario + ".json");
        Files.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(doc));
        return file;
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, v < 10 ? "%.2f" : "%.1f", v);
    }
}
