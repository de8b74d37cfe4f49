package dev.wisp.standalone.kafka;

import dev.wisp.common.config.Settings;
import dev.wisp.common.launch.Launcher;
import dev.wisp.standalone.IdleCollection;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/**
 * One Kafka node (KRaft, combined broker and controller) in a process of its own: a node of the containerized
 * cluster, or standalone's broker. Formats its data directory on first start, then serves until stopped.
 * {@code --node.id=1 --voters=1@kafka1:9093,... --host=kafka1 --cluster.id=ID --data=/data}, and optionally
 * {@code --bind=127.0.0.1} (the interface to listen on; all by default) and {@code --parent.pid=N} (stop at once
 * when that process is gone: standalone's broker never outlives it, even when it was killed) and {@code --small=true}
 * (few network, I/O and background threads, and its heap given back when quiet: a single broker serving one
 * machine, standalone's).
 */
public final class KafkaNodeMain {
    private KafkaNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        Settings s = Settings.load(args, System.getenv());
        int nodeId = s.integer("node.id", 1, 1, 1000);
        String voters = s.required("voters");
        String host = s.required("host");
        String clusterId = s.required("cluster.id");
        Path data = Path.of(s.string("data", "/data"));
        int port = s.integer("port", 9092, 1, 65535);
        int controllerPort = s.integer("controller.port", 9093, 1, 65535);
        String bind = s.string("bind", "0.0.0.0");
        long parent = s.integer("parent.pid", 0, 0, Integer.MAX_VALUE);
        boolean small = Boolean.parseBoolean(s.string("small", "false"));
        s.refuseUnknownFlags();
        if (parent > 0) {
            ProcessHandle.of(parent).ifPresentOrElse(h -> h.onExit().thenRun(() -> Runtime.getRuntime().halt(3)),
                    () -> Runtime.getRuntime().halt(3));
        }
        KafkaNode.format(data, nodeId, clusterId);
        Properties p = KafkaNode.properties(nodeId, port, controllerPort, voters, data);
        p.put("listeners", "PLAINTEXT://" + bind + ":" + port + ",CONTROLLER://" + bind + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        if (small) {
            // Kafka's defaults (3 network, 8 I/O, 10 background threads, 2 recovery threads) are sized for a shared
            // cluster's broker; one broker with a handful of clients idles on fewer, each thread a stack less
            p.put("num.network.threads", "1");
            p.put("num.io.threads", "2");
            p.put("background.threads", "2");
            p.put("num.recovery.threads.per.data.dir", "1");
            p.put("log.cleaner.threads", "1");
            // its one compacted topic (the consumer offsets: a few dozen groups' keys) is compacted with 2 MB of
            // offset map (about 78,000 keys a pass), not the 128 MB a shared broker's cleaner allocates on its heap
            // at start: the map is live for the broker's life, every byte of it resident
            p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
            IdleCollection.start();
        }
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(p, false), Time.SYSTEM);
        Launcher.serveUntilStopped(server::startup, () -> {
            server.shutdown();
            server.awaitShutdown();
        });
    }
}
