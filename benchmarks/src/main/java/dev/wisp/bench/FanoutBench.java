package dev.wisp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wisp.common.codec.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trigger fan-out: one fire of a trigger with 100 active rules, timed from the fire until all 100 rule
 * activations have their records. Floor in the same run: the same 100 activations invoked directly (non-blocking,
 * 16 clients), timed until all their records exist, found the same way.
 */
final class FanoutBench {
    static final int RULES = 100;
    private static final Pattern ACTIVATION_ID = Pattern.compile("activationId\\\\?\"\\s*:\\s*\\\\?\"([0-9a-f]{32})");
    private final int rounds;
    private final int warmupWindows;
    private BenchWisp wisp;

    FanoutBench(int rounds, int warmupWindows) {
        this.rounds = rounds;
        this.warmupWindows = warmupWindows;
    }

    Report run(Path results) throws Exception {
        Report report = new Report("fanout");
        try (BenchWisp started = new BenchWisp(8192)) {
            wisp = started;
            wisp.putNode("target", "function main(p) { return {}; }", 128);
            wisp.call("PUT", "triggers/fan?overwrite=true", "{}", 200);
            for (int i = 0; i < RULES; i++) {
                wisp.call("PUT", "rules/fan" + i + "?overwrite=true",
                        "{\"trigger\":\"/_/fan\",\"action\":\"/_/target\"}", 200);
            }
            ExecutorService pool = Executors.newFixedThreadPool(16);
            Footprint footprint = new Footprint(wisp.invokerName());
            try {
                int perWindow = Math.max(1, Math.min(3, rounds));
                report.note(Warmup.until("of one fire, " + RULES + " rules", "ms p50", warmupWindows, () -> {
                    Samples w = new Samples();
                    for (int i = 0; i < perWindow; i++) {
                        direct(pool);
                        w.addNanos(fire(pool));
                    }
                    return w.median();
                }));
                Samples fanout = new Samples();
                Samples floor = new Samples();
                Footprint.Usage floorUsage = null;
                Footprint.Usage fanoutUsage = null;
                for (int r = 0; r < rounds; r++) {
                    Footprint.Window w = footprint.start();
                    floor.addNanos(direct(pool));
                    floorUsage = w.stop(RULES).plus(floorUsage);
                    w = footprint.start();
                    fanout.addNanos(fire(pool));
                    fanoutUsage = w.stop(RULES).plus(fanoutUsage);
                }
                String floorName = "floor: " + RULES + " direct non-blocking invokes until all records exist";
                String fanoutName = "one fire, " + RULES + " rules, until all records exist";
                report.row(floorName, floor, Double.NaN);
                report.row(fanoutName, fanout, floor.median());
                report.footprint(floorName + " (per activation)", floorUsage);
                report.footprint(fanoutName + " (per activation)", fanoutUsage);
            } finally {
                pool.shutdownNow();
            }
        }
        report.print();
        System.out.println("wrote " + report.write(results));
        return report;
    }

    /** Fires the trigger; returns the nanoseconds until every rule's activation record exists. */
    private long fire(ExecutorService pool) throws Exception {
        long t0 = System.nanoTime();
        String body = wisp.call("POST", "triggers/fan", "{}", 202);
        String triggerActivation = Json.mapper().readTree(body).path("activationId").asText();
        JsonNode record = awaitRecord(triggerActivation);
        List<String> ids = new ArrayList<>();
        Matcher m = ACTIVATION_ID.matcher(record.path("logs").toString());
        while (m.find()) {
            ids.add(m.group(1));
        }
        if (ids.size() != RULES) {
            throw new IllegalStateException("the trigger activation lists " + ids.size() + " rule activations, not "
                    + RULES + ": " + record);
        }
        awaitAll(pool, ids);
        return System.nanoTime() - t0;
    }

    /** Invokes the action {@link #RULES} times, non-blocking; returns the nanoseconds until all records exist. */
    private long direct(ExecutorService pool) throws Exception {
        long t0 = System.nanoTime();
        List<Future<String>> accepted = new ArrayList<>();
        for (int i = 0; i < RULES; i++) {
            accepted.add(pool.submit(() -> Json.mapper().readTree(wisp.call("POST", "actions/target", "{}", 202))
                    .path("activationId").asText()));
        }
        List<String> ids = new ArrayList<>();
        for (Future<String> f : accepted) {
            ids.add(f.get());
        }
        awaitAll(pool, ids);
        return System.nanoTime() - t0;
    }

    /** Polls for an activation's record; gives up after two minutes. */
    private JsonNode awaitRecord(String id) throws Exception {
        long end = System.nanoTime() + 120_000_000_000L;
        while (true) {
            try {
                return Json.mapper().readTree(wisp.call("GET", "activations/" + id, null, 200));
            } catch (IllegalStateException notYet) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("no record of activation " + id + " after 2 minutes");
                }
                Thread.sleep(5);
            }
        }
    }

    /** Polls each id with 16 clients until every record exists. */
    private void awaitAll(ExecutorService pool, List<String> ids) throws Exception {
        List<Future<?>> pollers = new ArrayList<>();
        for (int p = 0; p < 16; p++) {
            int shard = p;
            pollers.add(pool.submit(() -> {
                for (int i = shard; i < ids.size(); i += 16) {
                    awaitRecord(ids.get(i));
                }
                return null;
            }));
        }
        for (Future<?> f : pollers) {
            f.get();
        }
    }
}
