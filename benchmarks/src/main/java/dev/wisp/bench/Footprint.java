package dev.wisp.bench;

import dev.wisp.standalone.store.PouchDbServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * CPU time and resident memory of every process a benchmark's invokes go through, read from {@code /proc}: this
 * JVM (Wisp's components, embedded ZooKeeper, and the benchmark's own client), its child processes (PouchDB
 * Server, and the Kafka broker, a JVM of its own), the action containers of the invokers whose names start with a prefix (found by their
 * cgroup, {@code /docker/<id>}), their {@code containerd-shim}s, {@code dockerd} and {@code containerd}, and the
 * {@code docker-proxy}s of published ports.
 * {@link #start} takes a snapshot of utime+stime per process; {@link Window#stop} takes another and sums the
 * deltas per group. A process that ends inside the window loses its CPU (a container destroyed meanwhile); one
 * that starts inside it counts whole. dockerd, containerd and docker-proxy also serve whatever else runs on the
 * machine.
 */
final class Footprint {
    private static final double TICK_MS = 1000.0 / clockTicks();
    private static final long PAGE = 4096;
    static final List<String> GROUPS = List.of("wisp JVM (+ bench client)", "PouchDB Server", "action containers",
            "containerd-shim", "dockerd", "containerd", "Kafka broker", "docker-proxy");

    private final String invokerPrefix;
    private final long root;

    /**
     * @param invokerPrefix the {@code wisp.invoker} label of the containers to count (that name, or it followed by
     *                      {@code -} and more: the invokers added later); null for none
     */
    Footprint(String invokerPrefix) {
        this(invokerPrefix, ProcessHandle.current().pid());
    }

    /**
     * @param root the process whose own usage is the first group and whose children are PouchDB and Kafka: this
     *             JVM, or a standalone Wisp started as a process of its own
     */
    Footprint(String invokerPrefix, long root) {
        this.invokerPrefix = invokerPrefix;
        this.root = root;
    }

    /** One process's CPU ticks and resident bytes, keyed by pid and start time (pids are reused). */
    private record Proc(String key, String group, long ticks, long rssBytes) {
    }

    /** What one group of processes used in a window. */
    record Group(String name, int processes, double cpuMs, double rssMb) {
    }

    /** The usage of a window: per group, and the CPU milliseconds per invoke over all of them. */
    record Usage(List<Group> groups, long invokes, double seconds) {
        double cpuMs() {
            return groups.stream().mapToDouble(Group::cpuMs).sum();
        }

        double cpuMsPerInvoke() {
            return invokes == 0 ? Double.NaN : cpuMs() / invokes;
        }

        /** This window and another, as one: CPU and invokes added, memory as at the later one's end. */
        Usage plus(Usage later) {
            if (later == null) {
                return this;
            }
            List<Group> sum = new ArrayList<>();
            for (int i = 0; i < groups.size(); i++) {
                Group a = groups.get(i);
                Group b = later.groups().get(i);
                sum.add(new Group(a.name(), b.processes(), a.cpuMs() + b.cpuMs(), b.rssMb()));
            }
            return new Usage(sum, invokes + later.invokes(), seconds + later.seconds());
        }

        /** Cores busy on average over the window. */
        double cores() {
            return cpuMs() / 1000 / seconds;
        }
    }

    /** A window being measured. */
    final class Window {
        private final Map<String, Proc> before;
        private final long t0 = System.nanoTime();

        private Window(Map<String, Proc> before) {
            this.before = before;
        }

        Usage stop(long invokes) {
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Proc> after = snapshot();
            Map<String, double[]> sums = new LinkedHashMap<>();
            GROUPS.forEach(g -> sums.put(g, new double[3]));
            for (Proc p : after.values()) {
                Proc b = before.get(p.key());
                double[] s = sums.get(p.group());
                s[0]++;
                s[1] += (p.ticks() - (b == null ? 0 : b.ticks())) * TICK_MS;
                s[2] += p.rssBytes() / 1048576.0;
            }
            List<Group> groups = new ArrayList<>();
            sums.forEach((g, s) -> groups.add(new Group(g, (int) s[0], s[1], s[2])));
            return new Usage(groups, invokes, seconds);
        }
    }

    Window start() {
        return new Window(snapshot());
    }

    private Map<String, Proc> snapshot() {
        Set<String> containers = containerIds();
        long self = root;
        Set<Long> children = new HashSet<>();
        ProcessHandle.of(root).ifPresent(r -> r.descendants().forEach(h -> children.add(h.pid())));
        Map<String, Proc> out = new HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path dir : (Iterable<Path>) procs::iterator) {
                String name = dir.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long pid = Long.parseLong(name);
                try {
                    String group = group(pid, self, children, containers, dir);
                    if (group != null) {
                        Proc p = read(pid, group, dir);
                        out.put(p.key(), p);
                    }
                } catch (IOException | RuntimeException gone) {
                    // the process ended while we read it
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return out;
    }

    private static String group(long pid, long self, Set<Long> children, Set<String> containers, Path dir)
            throws IOException {
        if (pid == self) {
            return GROUPS.get(0);
        }
        if (children.contains(pid)) {
            // PouchDB Server (as Wisp's launcher runs it, or as given) and the Kafka broker; not the benchmark's own
            // tools (wrk, the docker CLI)
            String cmd = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8);
            return cmd.contains(PouchDbServer.LAUNCHER) || cmd.contains("pouchdb") ? GROUPS.get(1)
                    : cmd.contains("KafkaNodeMain") ? GROUPS.get(6) : null;
        }
        String comm = Files.readString(dir.resolve("comm")).trim();
        if (comm.startsWith("containerd-shim")) {
            String cmd = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8);
            return containers.stream().anyMatch(cmd::contains) ? GROUPS.get(3) : null;
        }
        if (comm.equals("dockerd")) {
            return GROUPS.get(4);
        }
        if (comm.equals("containerd")) {
            return GROUPS.get(5);
        }
        if (comm.equals("docker-proxy")) {
            // the userland proxies of published container ports (invoker.publish.ports): every byte to and from
            // an action crosses one
            return GROUPS.get(7);
        }
        if (containers.isEmpty()) {
            return null;
        }
        String cgroup = Files.readString(dir.resolve("cgroup"));
        int at = cgroup.indexOf("docker");
        if (at < 0) {
            return null;
        }
        return containers.stream().anyMatch(cgroup::contains) ? GROUPS.get(2) : null;
    }

    private static Proc read(long pid, String group, Path dir) throws IOException {
        String stat = Files.readString(dir.resolve("stat"));
        // fields after the command, which may hold spaces, in parentheses
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
        String started = f[19]; // starttime (field 22)
        String[] statm = Files.readString(dir.resolve("statm")).trim().split(" ");
        return new Proc(pid + "@" + started, group, ticks, Long.parseLong(statm[1]) * PAGE);
    }

    /** The full ids of the running containers whose {@code wisp.invoker} label starts with the prefix. */
    private Set<String> containerIds() {
        Set<String> ids = new HashSet<>();
        if (invokerPrefix == null) {
            return ids;
        }
        try {
            Process p = new ProcessBuilder("docker", "ps", "--no-trunc", "--format",
                    "{{.ID}} {{.Label \"wisp.invoker\"}}").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            for (String line : out.lines().toList()) {
                String[] parts = line.split(" ", 2);
                String own = invokerPrefix.endsWith("-") ? invokerPrefix : invokerPrefix + "-";
                if (parts.length == 2 && (parts[1].equals(invokerPrefix) || parts[1].startsWith(own))) {
                    ids.add(parts[0]);
                }
            }
        } catch (IOException e) {
            return ids;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ids;
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
