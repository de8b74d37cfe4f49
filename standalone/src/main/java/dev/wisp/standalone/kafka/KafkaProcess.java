package dev.wisp.standalone.kafka;

import dev.wisp.standalone.supervise.SupervisedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
     * glibc keeps what the JIT compilers and start-up freed (about 20 MB of an idle broker's resident memory).
     */
    private static final List<String> JVM = Runtime.version().feature() >= 22
            ? List.of("-Xms16m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TrimNativeHeapInterval=5000")
            : List.of("-Xms16m", "-Xmx256m", "-XX:+UseSerialGC");
    /** The system property naming the broker JVM's class data archive (set by {@code ./wisp standalone}). */
    public static final String CDS_ARCHIVE = "wisp.kafka.cds.archive";

    private final Path logDir;
    private final int port;

    /**
     * @param logDir where the broker keeps its log (and metadata log)
     * @param output where its standard output goes: outside {@code logDir}, which may be the disk that filled
     */
    public KafkaProcess(Path logDir, Path output, int port, int controllerPort) {
        super("Kafka", command(port, controllerPort, logDir), output.getParent(), output, MAX_PAUSE);
        this.logDir = logDir;
        this.port = port;
    }

    private static List<String> command(int port, int controllerPort, Path logDir) {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.addAll(JVM);
        c.addAll(classDataSharing(System.getProperty(CDS_ARCHIVE)));
        c.addAll(List.of("-cp", System.getProperty("java.class.path"), KafkaNodeMain.class.getName(),
                "--node.id=1", "--voters=1@127.0.0.1:" + controllerPort, "--host=127.0.0.1", "--bind=127.0.0.1",
                "--cluster.id=" + Uuid.randomUuid(), "--data=" + logDir, "--port=" + port,
                "--controller.port=" + controllerPort, "--parent.pid=" + ProcessHandle.current().pid(),
                "--small=true"));
        return c;
    }

    /**
     * Class data sharing for the broker's JVM when an {@code archive} file is named: an archive of the classes
     * it loads, written by the JVM when it exits and mapped by the next one, which starts the broker sooner. The
     * JVM refuses an archive whose jars changed (and JDK 25 does not rewrite it), so {@code ./wisp} names it after
     * every jar's time and size; its warnings are silenced: a missing or stale archive only means a slower start.
     */
    static List<String> classDataSharing(String archive) {
        if (archive == null || archive.isBlank()) {
            return List.of();
        }
        return List.of("-XX:SharedArchiveFile=" + archive, "-XX:+AutoCreateSharedArchive", "-Xshare:auto",
                "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
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
