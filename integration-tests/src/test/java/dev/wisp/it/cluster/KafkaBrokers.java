package dev.wisp.it.cluster;

import dev.wisp.standalone.kafka.KafkaNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;

/**
 * A KRaft Kafka cluster of real broker processes (each a combined broker and controller), so a test can kill one
 * with SIGKILL and start it again on the same data.
 */
public final class KafkaBrokers implements AutoCloseable {
    private final Path dir;
    private final int[] ports;
    private final int[] controllerPorts;
    private final JavaProcess[] processes;
    /** Per broker, a proxy in front of its second listener, {@code CUTTABLE}: see {@link #cuttableBootstrap()}. */
    private final TcpProxy[] links;

    KafkaBrokers(Path dir, int count) throws Exception {
        this.dir = dir;
        ports = new int[count];
        controllerPorts = new int[count];
        processes = new JavaProcess[count];
        links = new TcpProxy[count];
        int[] cuttablePorts = new int[count];
        for (int i = 0; i < count; i++) {
            links[i] = new TcpProxy(); // bound before any broker port is chosen, so none can collide with them
        }
        for (int i = 0; i < count; i++) {
            ports[i] = Ports.free();
            controllerPorts[i] = Ports.free();
            cuttablePorts[i] = Ports.free();
            links[i].target(cuttablePorts[i]);
        }
        String voters = java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts[i]).collect(Collectors.joining(","));
        String clusterId = Uuid.randomUuid().toString();
        for (int i = 0; i < count; i++) {
            Path logDir = dir.resolve("kafka-" + (i + 1));
            KafkaNode.format(logDir, i + 1, clusterId);
            Properties p = KafkaNode.properties(i + 1, ports[i], controllerPorts[i], voters, logDir);
            // a second listener advertised at a proxy: a client that bootstraps there reaches every broker only
            // through the proxies, which the test can cut (Kafka answers metadata in the listener asked on)
            p.put("listeners", p.getProperty("listeners") + ",CUTTABLE://127.0.0.1:" + cuttablePorts[i]);
            p.put("advertised.listeners", p.getProperty("advertised.listeners") + ",CUTTABLE://127.0.0.1:"
                    + links[i].port());
            p.put("listener.security.protocol.map", p.getProperty("listener.security.protocol.map")
                    + ",CUTTABLE:PLAINTEXT");
            Path file = dir.resolve("kafka-" + (i + 1) + ".properties");
            try (Writer w = Files.newBufferedWriter(file)) {
                p.store(w, "Wisp test broker " + (i + 1));
            }
            processes[i] = new JavaProcess("kafka-" + (i + 1), "kafka.Kafka", List.of(file.toString()),
                    dir.resolve("kafka-" + (i + 1) + ".log"));
        }
    }

    void start() throws Exception {
        for (JavaProcess p : processes) {
            p.start();
        }
        awaitBrokers(processes.length);
    }

    public String bootstrap() {
        List<String> all = new ArrayList<>();
        for (int port : ports) {
            all.add("127.0.0.1:" + port);
        }
        return String.join(",", all);
    }

    /** Bootstrap servers through the cuttable proxies: a component given these can be cut from every broker. */
    public String cuttableBootstrap() {
        List<String> all = new ArrayList<>();
        for (TcpProxy link : links) {
            all.add("127.0.0.1:" + link.port());
        }
        return String.join(",", all);
    }

    /** Cuts whoever bootstrapped through {@link #cuttableBootstrap()} from every broker. */
    public void cutLinks() {
        for (TcpProxy link : links) {
            link.cut();
        }
    }

    public void healLinks() {
        for (TcpProxy link : links) {
            link.heal();
        }
    }

    int size() {
        return processes.length;
    }

    /** Waits until {@code count} brokers are registered in the cluster. */
    public void awaitBrokers(int count) throws Exception {
        long deadline = System.currentTimeMillis() + 90_000;
        while (true) {
            try (Admin admin = admin()) {
                if (admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() >= count) {
                    return;
                }
            } catch (Exception e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("Kafka brokers did not come up; see " + dir);
            }
            Thread.sleep(200);
        }
    }

    Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return Admin.create(p);
    }

    /** The node id (1-based) leading partition 0 of the topic. */
    public int leaderOf(String topic) throws Exception {
        try (Admin admin = admin()) {
            Map<String, TopicDescription> d = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS);
            return d.get(topic).partitions().get(0).leader().id();
        }
    }

    /** Waits until every partition of the topics has all its replicas in sync again (after a broker restart). */
    public void awaitFullIsr(List<String> topics) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            try (Admin admin = admin()) {
                Map<String, TopicDescription> d = admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS);
                boolean full = d.values().stream().flatMap(t -> t.partitions().stream())
                        .allMatch(p -> p.isr().size() == p.replicas().size());
                if (full) {
                    return;
                }
            } catch (Exception e) {
                // brokers still settling
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("replicas did not catch up within 120 s; see " + dir);
    }

    /**
     * What a consumer group has left to do on partition 0 of a topic: {committed offset, end offset}; the committed
     * offset is -1 while the group has committed nothing.
     */
    public long[] progress(String group, String topic) throws Exception {
        org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(topic, 0);
        try (Admin admin = admin()) {
            var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS).get(tp);
            long end = admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest())).all()
                    .get(10, TimeUnit.SECONDS).get(tp).offset();
            return new long[] {committed == null ? -1 : committed.offset(), end};
        }
    }

    public void kill9(int nodeId) throws InterruptedException {
        processes[nodeId - 1].kill9();
    }

    public void restart(int nodeId) throws IOException {
        processes[nodeId - 1].start();
    }

    @Override
    public void close() throws InterruptedException {
        for (JavaProcess p : processes) {
            if (p != null) {
                p.kill9();
            }
        }
        for (TcpProxy link : links) {
            if (link != null) {
                link.close();
            }
        }
    }
}
