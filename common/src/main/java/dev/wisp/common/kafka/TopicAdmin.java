package dev.wisp.common.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
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
        NewTopic t = new NewTopic(topic, partitions, replication).configs(Map.of(
                "max.message.bytes", String.valueOf(KafkaSender.MAX_RECORD_BYTES),
                "min.insync.replicas", String.valueOf(Math.min(2, Math.max(1, replication - 1)))));
        try {
            admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create Kafka topic " + topic + ": " + e.getCause(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topic " + topic, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not create topic " + topic + " within 30 s", e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
