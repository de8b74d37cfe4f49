package dev.wisp.bench;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka floors, measured on the same broker Wisp uses: one acks=all produce, and a request/reply loop of two
 * produce-to-consume hops with the producer and consumer settings Wisp uses.
 */
final class KafkaFloor implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumerA;
    private final KafkaConsumer<byte[], byte[]> consumerB;
    private final String topicA = "bench.floor.a." + UUID.randomUUID();
    private final String topicB = "bench.floor.b." + UUID.randomUUID();

    KafkaFloor(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(java.util.Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topicA, 1, (short) 1), new NewTopic(topicB, 1, (short) 1))).all().get();
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        consumerA = consumer(bootstrap, topicA);
        consumerB = consumer(bootstrap, topicB);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String topic) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        c.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        while (consumer.assignment().isEmpty()) {
            consumer.poll(Duration.ofMillis(50));
        }
        // resolve "latest" now, or a record produced before the first fetch would be skipped and waited for forever
        consumer.assignment().forEach(consumer::position);
        return consumer;
    }

    /** One acks=all produce, acknowledged. */
    long produce(byte[] value) throws Exception {
        long t0 = System.nanoTime();
        producer.send(new ProducerRecord<>(topicA, value)).get();
        drain(consumerA);
        return System.nanoTime() - t0;
    }

    private static void drain(KafkaConsumer<byte[], byte[]> c) {
        c.poll(Duration.ZERO);
    }

    /** Produce to A, consume it, produce to B, consume it: the two hops of an activation and its completion. */
    long twoHops(byte[] value) throws Exception {
        long t0 = System.nanoTime();
        producer.send(new ProducerRecord<>(topicA, value)).get();
        await(consumerA);
        producer.send(new ProducerRecord<>(topicB, value)).get();
        await(consumerB);
        return System.nanoTime() - t0;
    }

    private static void await(KafkaConsumer<byte[], byte[]> c) {
        while (true) {
            ConsumerRecords<byte[], byte[]> r = c.poll(Duration.ofMillis(5));
            if (!r.isEmpty()) {
                return;
            }
        }
    }

    /**
     * A request/reply loop with {@code inFlight} requests outstanding: a responder consumes each request from A
     * and produces the reply to B; each reply consumed sends the next request. Returns replies per second.
     */
    double requestReplyRate(int inFlight, Duration window, byte[] value) throws Exception {
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread responder = Thread.ofPlatform().name("floor-responder").start(() -> {
            while (running.get()) {
                for (var r : consumerA.poll(Duration.ofMillis(5))) {
                    producer.send(new ProducerRecord<>(topicB, r.value()));
                }
            }
        });
        try {
            for (int i = 0; i < inFlight; i++) {
                producer.send(new ProducerRecord<>(topicA, value));
            }
            long replies = 0;
            long t0 = System.nanoTime();
            long end = t0 + window.toNanos();
            while (System.nanoTime() < end) {
                for (var r : consumerB.poll(Duration.ofMillis(5))) {
                    replies++;
                    producer.send(new ProducerRecord<>(topicA, r.value()));
                }
            }
            return replies / ((System.nanoTime() - t0) / 1e9);
        } finally {
            running.set(false);
            responder.join();
            // let the requests still in flight come back, so the next measure starts from an empty loop
            long quiet = System.nanoTime() + 500_000_000L;
            while (System.nanoTime() < quiet) {
                consumerA.poll(Duration.ofMillis(20));
                consumerB.poll(Duration.ofMillis(20));
            }
        }
    }

    @Override
    public void close() {
        producer.close();
        consumerA.close();
        consumerB.close();
    }
}
