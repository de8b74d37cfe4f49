package dev.wisp.standalone.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * How Wisp runs a Kafka node (KRaft, combined broker and controller): its configuration and the one-time format
 * of its log directory, shared by standalone's broker, the containerized cluster and the test cluster.
 */
public final class KafkaNode {
    private KafkaNode() {
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
}
