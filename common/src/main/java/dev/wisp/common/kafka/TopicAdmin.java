package dev.wisp.common.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates Wisp's topics. Blocking: call it at start-up, off the event loop. */
public final class TopicAdmin implements AutoCloseable {
    private final Admin admin;
    private final short replication;

    public TopicAdmin(String bootstrapServers, int replicationFactor) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        this.admin = Admin.create(p);
        this.replication = (short) replicationFactor;
    }

    /** Creates the topic unless it exists. */
    public void ensure(String topic, int partitions) {
        ensure(Map.of(topic, partitions));
    }

    /** Creates each topic (name to partitions) unless it exists: one request for all, the broker creates them at once. */
    public void ensure(Map<String, Integer> topics) {
        List<NewTopic> news = topics.entrySet().stream().map(e -> new NewTopic(e.getKey(), e.getValue(), replication)
                .configs(Map.of("max.message.bytes", String.valueOf(KafkaSender.MAX_RECORD_BYTES),
                        "min.insync.replicas", String.valueOf(Math.min(2, Math.max(1, replication - 1))))))
                .toList();
        CreateTopicsResult result = admin.createTopics(news);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Map.Entry<String, KafkaFuture<Void>> e : result.values().entrySet()) {
            String topic = e.getKey();
            try {
                e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException failed) {
                if (!(failed.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create Kafka topic " + topic + ": " + failed.getCause(),
                            failed);
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted creating topic " + topic, interrupted);
            } catch (java.util.concurrent.TimeoutException late) {
                throw new IllegalStateException("Kafka did not create topic " + topic + " within 30 s", late);
            }
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
