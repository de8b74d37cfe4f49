package dev.wisp.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads, once and outside any consumer group, what every topic whose name matches holds from a point in time up
 * to its end as it was when the scan began (e.g. what a controller that died had published to the invokers).
 * Blocking: call off the event loop.
 */
public final class TopicScan {
    private TopicScan() {
    }

    /** Receives one record read. */
    @FunctionalInterface
    public interface Reader {
        /** @param timestamp the record's timestamp (epoch ms): when it was published */
        void accept(String key, byte[] value, long timestamp);
    }

    /**
     * @param fromMillis epoch milliseconds of the oldest record wanted (by its timestamp)
     * @param limit      how long the scan may read before it gives up with {@link IllegalStateException}
     * @param record     receives each record's key, value and timestamp, in order per partition
     */
    public static void since(String kafka, Pattern topics, long fromMillis, Duration limit, Reader record) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            c.listTopics(Duration.ofSeconds(30)).forEach((topic, infos) -> {
                if (topics.matcher(topic).matches()) {
                    infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
                }
            });
            if (partitions.isEmpty()) {
                return;
            }
            c.assign(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, Long> since = new HashMap<>();
            partitions.forEach(tp -> since.put(tp, Math.max(0, fromMillis)));
            Map<TopicPartition, OffsetAndTimestamp> start = c.offsetsForTimes(since, Duration.ofSeconds(30));
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp o = start.get(tp);
                c.seek(tp, o == null ? end.get(tp) : o.offset());
            }
            long deadline = System.currentTimeMillis() + limit.toMillis();
            while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the topics matching " + topics + " could not be read within "
                            + limit.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    record.accept(r.key(), r.value(), r.timestamp());
                }
            }
        }
    }
}
