package dev.wisp.standalone.kafka;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.wisp.standalone.supervise.SupervisedProcess;
import dev.wisp.standalone.supervise.SupervisedServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * Standalone's Kafka broker: one KRaft node ({@link KafkaNodeMain}) in a supervised child JVM on this machine's
 * loopback. A separate process because Kafka halts its JVM when its log directory fails (a full disk): that
 * must cost a pause in which new invokes are refused with 503, not the whole of Wisp. It is started again on the
 * same ports and log directory, which is formatted once and reused, so accepted invocations survive its
 * restarts and standalone's.
 */
public final class KafkaProcess extends SupervisedServer {
    /** Kafka comes back quickly once its disk has room: the pauses between starts stay short. */
    static final Duration MAX_PAUSE = Duration.ofSeconds(5);
    /**
     * Its JVM: a small heap that grows when needed (Kafka's page cache is the kernel's, not the heap), the serial
     * collector (one broker, one machine), and on JDK 22 and later the C heap handed back to the system every 5 s:
     * glibc keeps what the JIT compilers and start-up freed (about 20 MB of an idle broker's resident memory). The
     * heap a burst grew goes back when the broker is quiet ({@link dev.wisp.standalone.IdleCollection}): in one step
     * ({@code -XX:-ShrinkHeapInSteps}; Serial otherwise gives back 0%, 10%, 40%, then the rest over four full
     * collections), and with the young generation held to 8 MB, which Serial would otherwise resize to half the old
     * one after a full collection (5 MB grew to 31 MB when an idle broker's old generation was shrunk without it).
     * Measured and left out: C2 at ten times its thresholds ({@code -XX:Tier4InvocationThreshold=50000}, back edges
     * 400000): C2's share of the broker's start fell from 0.7 s to 0.1 s and standalone was ready 0.3-0.5 s sooner,
     * but after 45 s of 500-600 invokes a second (batched into fewer produce and fetch requests, so fewer calls a
     * method) the broker still spent 1.7 times the CPU an invoke (1.12 ms against 0.65; PouchDB's rose 1.3 times in
     * the same run, the machine's share). Which JIT compilers it runs: {@link #jit}.
     */
    private static final List<String> JVM = jvm(Runtime.version().feature());

    static List<String> jvm(int feature) {
        List<String> jvm = new ArrayList<>(List.of("-Xms16m", "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:-ShrinkHeapInSteps", "-XX:MaxNewSize=8m"));
        if (feature >= 22) {
            jvm.add("-XX:TrimNativeHeapInterval=5000");
        }
        return List.copyOf(jvm);
    }

    /**
     * How long a stopping broker may take when it assembles its AOT cache as it exits (a child JVM it waits for:
     * about 5 s on two busy cores); otherwise it is stopped by force after {@link SupervisedProcess#STOP_GRACE}.
     */
    static final Duration ASSEMBLY = Duration.ofSeconds(60);
    /** The system property naming the broker JVM's start-up cache, AOT or class data (set by ./wisp standalone). */
    public static final String CDS_ARCHIVE = "wisp.kafka.cds.archive";

    private final Path logDir;
    private final int port;

    /**
     * @param logDir where the broker keeps its log (and metadata log)
     * @param output where its standard output goes: outside {@code logDir}, which may be the disk that filled
     * @param jvmOptions more options for its JVM, after its own (the later of two values of a flag wins): its
     *                   {@link #jit} and then an operator's
     */
    public KafkaProcess(Path logDir, Path output, int port, int controllerPort, List<String> jvmOptions) {
        super("Kafka", command(port, controllerPort, logDir, jvmOptions), output.getParent(), output, MAX_PAUSE,
                training(System.getProperty(CDS_ARCHIVE)) ? ASSEMBLY : SupervisedProcess.STOP_GRACE);
        this.logDir = logDir;
        this.port = port;
    }

    private static List<String> command(int port, int controllerPort, Path logDir, List<String> jvmOptions) {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.addAll(JVM);
        c.addAll(jvmOptions);
        c.addAll(classDataSharing(System.getProperty(CDS_ARCHIVE)));
        c.addAll(List.of("-cp", System.getProperty("java.class.path"), KafkaNodeMain.class.getName(),
                "--node.id=1", "--voters=1@127.0.0.1:" + controllerPort, "--host=127.0.0.1", "--bind=127.0.0.1",
                "--cluster.id=" + Uuid.randomUuid(), "--data=" + logDir, "--port=" + port,
                "--controller.port=" + controllerPort, "--parent.pid=" + ProcessHandle.current().pid(),
                "--small=true"));
        return c;
    }

    /**
     * What the broker's JVM starts from when a cache file is named ({@code ./wisp standalone} names one): on JDK 25
     * and later (a name ending {@code .aot}) an AOT cache of the classes it loaded and linked, recorded by a first
     * run (which assembles it when it exits) and used by the later ones; before, a dynamic class data archive,
     * written at exit and mapped by the next start. Either starts the broker sooner. The cache leaves out the
     * methods' profiles ({@code -XX:-AOTRecordTraining}): replayed, they made the JIT compile what the training run
     * found hot as soon as it was first used, 0.4-0.5 s more CPU before the broker served (2.5-2.8 s against
     * 2.9-3.3 s, three starts each), and standalone's start is CPU-bound on two cores. The JVM refuses a cache whose
     * jars changed (and does not rewrite it), so {@code ./wisp} names it after every jar's time and size; its
     * messages are silenced: a missing or stale cache only means a slower start.
     */
    static List<String> classDataSharing(String cache) {
        if (cache == null || cache.isBlank()) {
            return List.of();
        }
        if (cache.endsWith(".aot")) {
            return training(cache) ? List.of("-XX:AOTCacheOutput=" + cache, "-XX:+UnlockDiagnosticVMOptions",
                    "-XX:-AOTRecordTraining", "-Xlog:aot=off", "-Xlog:cds=off")
                    : List.of("-XX:AOTCache=" + cache, "-Xlog:aot=off", "-Xlog:cds=off");
        }
        return List.of("-XX:SharedArchiveFile=" + cache, "-XX:+AutoCreateSharedArchive", "-Xshare:auto",
                "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    /**
     * Whether the broker's run records its AOT cache: there is none yet, or its assembly was cut short (the JVM
     * leaves its {@code .config} until the cache is written).
     */
    static boolean training(String cache) {
        return cache != null && cache.endsWith(".aot")
                && (!Files.exists(Path.of(cache)) || Files.exists(Path.of(cache + ".config")));
    }

    /**
     * The broker JVM's option for {@code standalone.jit}: {@code c1} is C1 alone ({@code -XX:TieredStopAtLevel=1}),
     * {@code c2} the JVM's default (C1, then C2 for what is hot), and unset what this JVM runs ({@code ./wisp
     * standalone} starts Wisp's JVM with C1 alone unless told {@code c2}; a test's or a benchmark's JVM runs C2).
     */
    public static List<String> jit(String setting, boolean thisJvmC1Alone) {
        boolean c1 = setting == null ? thisJvmC1Alone : setting.equals("c1");
        return c1 ? List.of("-XX:TieredStopAtLevel=1") : List.of();
    }

    /**
     * What to tell a user whose {@code standalone.jit} this JVM does not run: its compilers were chosen before it
     * started, by its command line ({@code ./wisp standalone} reads the setting there), so only the broker follows.
     */
    public static Optional<String> jitMismatch(String setting, boolean thisJvmC1Alone) {
        if (setting == null || setting.equals("c1") == thisJvmC1Alone) {
            return Optional.empty();
        }
        return Optional.of("standalone.jit=" + setting + " reaches the Kafka broker only: this JVM runs "
                + (thisJvmC1Alone ? "C1 alone" : "C1 and C2") + ", chosen on its command line before it started"
                + " (./wisp standalone sets it from --standalone.jit=, WISP_STANDALONE_JIT or a --config file)");
    }

    /** Whether this JVM compiles with C1 alone ({@code -XX:TieredStopAtLevel} 1 to 3 with tiered compilation). */
    public static boolean thisJvmC1Alone() {
        var vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (vm == null) {
            return false;
        }
        try {
            return Boolean.parseBoolean(vm.getVMOption("TieredCompilation").getValue())
                    && Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue()) < 4;
        } catch (IllegalArgumentException e) { // not HotSpot's options
            return false;
        }
    }

    /** JVM options given as one text, split at white space. */
    public static List<String> options(String text) {
        return text == null || text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker, waits until it serves metadata, and supervises it from then on. */
    public void start(Duration wait) throws IOException, InterruptedException {
        Files.createDirectories(logDir);
        startProcess(wait);
    }

    @Override
    protected boolean answers() {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
        } catch (IOException notYet) {
            return false; // asked before the port is open, the admin client would log a warning each time
        }
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "wisp-standalone-" + UUID.randomUUID());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
        Admin admin = Admin.create(p);
        try {
            return !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        } finally {
            admin.close(Duration.ofMillis(500));
        }
    }
}
