package dev.wisp.bench;

import dev.wisp.standalone.FreePorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code ./wisp standalone} as a user starts it: a process of its own (the launcher, which execs Wisp's JVM) on a
 * fresh data directory, several times. Per start: the time from the process's start to the first authenticated
 * request the gateway answers, the launcher's own "ready in" figure, and when each progress line came; then,
 * after a quiet pause, the resident memory and CPU of each of its processes while idle (Wisp's JVM, the Kafka
 * broker, PouchDB Server, the stem-cell containers); then the JIT's warm-up: the first warm blocking no-op
 * invokes of one client in windows, against the steady state measured after them. Floor in the same run: a
 * hello-world JVM on the same class path.
 */
final class StandaloneBench {
    private static final String NOOP = "function main(p) { return {}; }";
    private static final Pattern READY = Pattern.compile("wisp: ready in ([0-9.]+) s");
    /**
     * The progress line after which the gateway starts listening: the first answer is asked for only from then on,
     * so that the asking (a refused connection every few ms otherwise) takes no CPU from the start it measures.
     */
    private static final String SERVING_LINE = "wisp: starting the edge gateway";
    /** What the launcher says as it stops after a start that recorded the AOT caches (the first after a build). */
    private static final String TRAINING_STOP = "writing the caches";
    private static final Duration START_LIMIT = Duration.ofSeconds(120);

    private final int runs;
    private final int first;
    private final int steady;
    /**
     * Load at {@link #SETTLE_CLIENTS} clients between the first invokes and the steady state: C2 on two busy cores
     * needs about a minute of it, and a steady state read right after the first invokes (issue 17's first figure)
     * was still warming (4.1 ms at p50 against 1.6 ms once warm).
     */
    private final Duration settle;
    static final int SETTLE_CLIENTS = 16;
    private final int window;
    private final Duration quiet;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * @param runs   starts on a fresh data directory
     * @param first  warm invokes measured right after start, in windows of {@code window}
     * @param steady invokes after those and {@code settle} of load, the steady state
     * @param settle   load between the first invokes and the steady state, to warm the JIT
     * @param quiet  the pause after ready before the idle window, and that window's length
     */
    StandaloneBench(int runs, int first, int steady, int window, Duration quiet, Duration settle) {
        this.settle = settle;
        this.runs = runs;
        this.first = first;
        this.steady = steady;
        this.window = window;
        this.quiet = quiet;
    }

    /** The floor: a JVM that prints a line and exits. */
    static final class Hello {
        public static void main(String[] args) {
            System.out.println("hello");
        }
    }

    Report run(Path results) throws Exception {
        Report report = new Report("standalone");
        Samples hello = new Samples();
        for (int i = 0; i < Math.max(3, runs); i++) {
            hello.addNanos(helloJvm());
        }
        Samples ready = new Samples();
        Samples printed = new Samples();
        Samples trainingReady = new Samples();
        Samples trainingPrinted = new Samples();
        Map<String, Samples> phases = new LinkedHashMap<>();
        Map<String, List<double[]>> idle = new LinkedHashMap<>();
        List<Samples> windows = new ArrayList<>();
        Samples firstAll = new Samples();
        Samples steadyAll = new Samples();
        List<Double> settled = new ArrayList<>();
        Footprint.Usage firstUsage = null;
        Footprint.Usage steadyUsage = null;
        // The first start after a build records the JVMs' AOT caches (it is told so only as it stops): its start is
        // reported apart, and one more start is made, so that the ready rows hold as many starts with the caches
        // as asked for (issue 17's target is the start after the first build)
        int starts = runs;
        for (int run = 0; run < starts; run++) {
            Path data = Files.createTempDirectory("wisp-bench-standalone-");
            String invoker = "bench-standalone-" + ProcessHandle.current().pid() + "-" + run;
            int port = FreePorts.take();
            List<String[]> lines = new CopyOnWriteArrayList<>();
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("./wisp", "standalone", "--gateway.port=" + port,
                    "--standalone.wskprops=false", "--standalone.data=" + data, "--invoker.name=" + invoker,
                    // the load that warms the JIT goes past the standalone's 6000 a minute
                    "--limits.invocations.per.minute=100000000", "--limits.invocations.concurrent=100000")
                    .redirectErrorStream(true).start();
            Thread reader = Thread.ofPlatform().daemon().start(() -> read(p, t0, lines));
            GatewayClient gateway = null;
            long readyNanos = 0;
            double printedMs = Double.NaN;
            Map<String, Samples> startPhases = new LinkedHashMap<>();
            try {
                String base = "http://127.0.0.1:" + port + "/api/v1/namespaces/_/";
                String auth = awaitReady(p, data, base, lines);
                readyNanos = System.nanoTime() - t0;
                awaitLine(lines, READY, p);
                phases(lines, startPhases);
                for (String[] l : lines) {
                    Matcher m = READY.matcher(l[0]);
                    if (m.find()) {
                        printedMs = Double.parseDouble(m.group(1)) * 1000;
                    }
                }
                Footprint footprint = new Footprint(invoker, p.pid());
                Thread.sleep(quiet.toMillis());
                Footprint.Window w = footprint.start();
                Thread.sleep(quiet.toMillis());
                Footprint.Usage u = w.stop(0);
                for (Footprint.Group g : u.groups()) {
                    if (g.processes() > 0) {
                        String name = g.name().startsWith("wisp JVM") ? "Wisp JVM" : g.name();
                        idle.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {g.processes(),
                                g.rssMb(), 100 * g.cpuMs() / 1000 / u.seconds()});
                    }
                }
                call(base, auth, "PUT", "actions/noop", "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":"
                        + BenchWisp.quote(NOOP) + "},\"limits\":{\"memory\":256}}", 200);
                gateway = new GatewayClient(base, auth);
                invoke(gateway); // the cold one: the invokes measured next find the container warm
                w = footprint.start();
                for (int i = 0; i < first; i++) {
                    long lat = invoke(gateway);
                    if (windows.size() <= i / window) {
                        windows.add(new Samples());
                    }
                    windows.get(i / window).addNanos(lat);
                    firstAll.addNanos(lat);
                }
                firstUsage = firstUsage == null ? w.stop(first) : firstUsage.plus(w.stop(first));
                GatewayClient client = gateway;
                ThroughputBench.Run load = ThroughputBench.sustain(SETTLE_CLIENTS, settle, () -> invoke(client));
                settled.add(load.rate());
                w = footprint.start();
                for (int i = 0; i < steady; i++) {
                    steadyAll.addNanos(invoke(gateway));
                }
                steadyUsage = steadyUsage == null ? w.stop(steady) : steadyUsage.plus(w.stop(steady));
            } finally {
                if (gateway != null) {
                    gateway.close();
                }
                stop(p);
                reader.join(5_000);
                deleteTree(data);
            }
            if (lines.stream().anyMatch(l -> l[0].contains(TRAINING_STOP))) {
                trainingReady.addNanos(readyNanos);
                trainingPrinted.add(printedMs);
                starts = Math.min(starts + 1, runs + 1);
            } else {
                ready.addNanos(readyNanos);
                printed.add(printedMs);
                startPhases.forEach((line, t) -> phases.computeIfAbsent(line, k -> new Samples()).add(t.value(0)));
            }
        }
        double floor = hello.median();
        report.row("floor: hello-world JVM on the same class path", hello, Double.NaN);
        report.row("ready: process start to the first authenticated answer", ready, floor);
        report.row("ready: the launcher's \"ready in\" (from its main)", printed, floor);
        phases.forEach((line, s) -> report.row("  progress line \"" + line + "\" at", s, Double.NaN));
        if (trainingReady.count() > 0) {
            report.row("the first start after the build (records the AOT caches; not in the rows above): "
                    + "to the first answer", trainingReady, floor);
            report.row("  its launcher's \"ready in\"", trainingPrinted, floor);
        }
        idle.forEach((group, values) -> report.idle(group, (int) median(values, 0), median(values, 1),
                median(values, 2)));
        double steadyP50 = steadyAll.median();
        report.row(String.format(Locale.ROOT, "steady state: %d warm invokes after the first %d and %d s at %d clients",
                steady, first, settle.toSeconds(), SETTLE_CLIENTS), steadyAll, Double.NaN);
        report.footprint("steady state", steadyUsage);
        report.row("first " + first + " warm invokes after start", firstAll, steadyP50);
        report.footprint("first " + first + " warm invokes", firstUsage);
        for (int k = 0; k < windows.size(); k++) {
            report.row(String.format(Locale.ROOT, "  warm invokes %d-%d", k * window + 1, (k + 1) * window),
                    windows.get(k), steadyP50);
        }
        report.note(String.format(Locale.ROOT, "%d start(s) on a fresh data directory each (%d with the AOT caches in "
                + "place); idle: %d s after ready, measured over %d s; invokes: one client, blocking, a nodejs no-op; "
                + "'vs floor' of the invoke rows is against the steady state's p50; the load before the steady state "
                + "ran at %s invokes/s", starts, ready.count(), quiet.toSeconds(), quiet.toSeconds(),
                settled.stream().map(r -> String.format(Locale.ROOT, "%.0f", r))
                        .collect(java.util.stream.Collectors.joining(", "))));
        double idleSum = idle.entrySet().stream().filter(e -> !e.getKey().contains("container")
                && !e.getKey().contains("docker")).mapToDouble(e -> median(e.getValue(), 1)).sum();
        report.note(String.format(Locale.ROOT, "idle resident memory of Wisp's JVM, the Kafka broker and PouchDB "
                + "Server: %.0f MB (issue 17: <= 400 MB)", idleSum));
        report.print();
        System.out.println("wrote " + report.write(results));
        return report;
    }

    private static double median(List<double[]> values, int field) {
        Samples s = new Samples();
        values.forEach(v -> s.add(v[field]));
        return s.median();
    }

    /** The time of each progress line ("wisp: starting ... ...") since the process started, in ms. */
    private static void phases(List<String[]> lines, Map<String, Samples> phases) {
        for (String[] l : lines) {
            if (l[0].startsWith("wisp: ") && !l[0].startsWith("wisp:  ")) {
                String step = l[0].replaceAll("[0-9]+", "N").replaceAll(" \\.\\.\\.$", "");
                phases.computeIfAbsent(step, k -> new Samples()).add(Long.parseLong(l[1]) / 1e6);
                if (READY.matcher(l[0]).find()) {
                    return;
                }
            }
        }
    }

    private static void read(Process p, long t0, List<String[]> lines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(new String[] {line, String.valueOf(System.nanoTime() - t0)});
            }
        } catch (IOException ended) {
            // the process is gone
        }
    }

    /** Waits until the gateway answers an authenticated request; returns the guest's Authorization header. */
    private String awaitReady(Process p, Path data, String base, List<String[]> lines) throws Exception {
        long end = System.nanoTime() + START_LIMIT.toNanos();
        Path guest = data.resolve("guest.auth");
        while (System.nanoTime() < end) {
            if (!p.isAlive()) {
                throw new IllegalStateException("./wisp standalone exited with " + p.exitValue() + ": " + output(lines));
            }
            boolean serving = lines.stream().anyMatch(l -> l[0].startsWith(SERVING_LINE));
            if (serving && Files.exists(guest)) {
                String key = Files.readString(guest, StandardCharsets.UTF_8).trim();
                if (!key.isEmpty()) {
                    String auth = "Basic " + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
                    try {
                        if (send(base, auth, "GET", "actions?limit=1", null).statusCode() == 200) {
                            return auth;
                        }
                    } catch (IOException notYet) {
                        // not listening yet
                    }
                }
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("./wisp standalone was not ready within " + START_LIMIT + ": " + output(lines));
    }

    private static void awaitLine(List<String[]> lines, Pattern pattern, Process p) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end && p.isAlive()) {
            if (lines.stream().anyMatch(l -> pattern.matcher(l[0]).find())) {
                return;
            }
            Thread.sleep(5);
        }
    }

    private static String output(List<String[]> lines) {
        return String.join("\n", lines.stream().map(l -> l[0]).toList());
    }

    private static long invoke(GatewayClient gateway) throws IOException {
        long t0 = System.nanoTime();
        gateway.post("actions/noop?blocking=true&result=true", "{}", 200);
        return System.nanoTime() - t0;
    }

    private void call(String base, String auth, String method, String path, String body, int expected)
            throws IOException, InterruptedException {
        HttpResponse<String> r = send(base, auth, method, path, body);
        if (r.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
        }
    }

    private HttpResponse<String> send(String base, String auth, String method, String path, String body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A hello-world JVM's run, start to exit. */
    private static long helloJvm() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Hello.class.getName())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the hello-world JVM exited with " + p.exitValue());
        }
        return System.nanoTime() - t0;
    }

    /** Stops standalone as Ctrl-C would; by force, with its children, if it takes longer than 120 s. */
    private static void stop(Process p) throws InterruptedException {
        List<ProcessHandle> children = p.descendants().toList();
        // SIGTERM through the handle: Process.destroy() also closes the pipe of its output, and the first start after
        // a build, which assembles the JVMs' AOT caches as it stops (some seconds), lost its assembling JVM to
        // SIGPIPE when that wrote to it (no cache, so every start recorded again)
        p.toHandle().destroy();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            children.forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle c : children) {
            c.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> c).join();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(f);
            }
        }
    }
}
