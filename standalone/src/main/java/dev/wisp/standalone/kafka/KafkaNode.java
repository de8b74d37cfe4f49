package dev.wisp.standalone.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) in this process. Its log directory is
 * formatted once and reused across restarts, so accepted invocations survive a restart of the standalone.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final Path logDir;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;

    public EmbeddedKafka(Path logDir, int port, int controllerPort) {
        this.logDir = logDir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Formats the log directory if new, starts the broker and waits until it answers. */
    public void start() throws Exception {
        Properties p = properties(1, port, controllerPort, "1@127.0.0.1:" + controllerPort, logDir);
        format(logDir, 1, org.apache.kafka.common.Uuid.randomUuid().toString());
        server = new KafkaRaftServer(new KafkaConfig(p, false), Time.SYSTEM);
        server.startup();
        awaitReady();
    }

    /**
     * The configuration of one combined broker and controller node of a KRaft cluster on this machine.
     *
     * @param voters the controller quorum, {@code id@host:port,...}
     */
    public static Properties properties(int nodeId, int port, int controllerPort, String voters, Path logDir) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(nodeId));
        p.put("controller.quorum.voters", voters);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        int nodes = voters.split(",").length;
        p.put("offsets.topic.replication.factor", String.valueOf(nodes));
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", String.valueOf(nodes));
        p.put("transaction.state.log.min.isr", String.valueOf(Math.min(2, nodes)));
        p.put("min.insync.replicas", String.valueOf(Math.min(2, nodes)));
        p.put("default.replication.factor", String.valueOf(nodes));
        p.put("group.initial.rebalance.delay.ms", "0");
        // a broker that died is fenced (its partitions get new leaders, its replicas leave the ISRs) after 6 s
        // without a heartbeat rather than Kafka's 9 s: every acks=all write to its partitions waits that long
        p.put("broker.session.timeout.ms", "6000");
        p.put("broker.heartbeat.interval.ms", "1500");
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("message.max.bytes", String.valueOf(16 * 1024 * 1024));
        p.put("replica.fetch.max.bytes", String.valueOf(16 * 1024 * 1024));
        return p;
    }

    /** Formats a node's log directory unless it already is. */
    public static void format(Path logDir, int nodeId, String clusterId) throws Exception {
        Files.createDirectories(logDir);
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        new Formatter()
                .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                .setNodeId(nodeId)
                .setClusterId(clusterId)
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setControllerListenerName("CONTROLLER")
                .setNoInitialControllersFlag(true)
                .setIgnoreFormatted(true)
                .run();
    }

    private void awaitReady() throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "wisp-standalone-" + UUID.randomUUID());
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
        }
    }
}
