package dev.wisp.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
 * The floors, measured on the same broker Wisp uses: one acks=all produce, two produce-to-consume hops, and the
 * whole chain of an invoke without Wisp (a Kafka hop, an HTTP call to a warm action container, a Kafka hop), once
 * or as a loop with as many requests in flight as Wisp's clients.
 */
final class KafkaFloor implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumerA;
    private final KafkaConsumer<byte[], byte[]> consumerB;
    private final String topicA = "bench.floor.a." + UUID.randomUUID();
    private final String topicB = "bench.floor.b." + UUID.randomUUID();
    /** The body of the floor's {@code /run}: the no-op action, no parameters. */
    static final String RUN = "{\"value\":{}}";
    /** Replies counted by the last {@link #chainRate} loop. */
    long lastReplies;

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

    /**
     * The chain of one invoke without Wisp: produce to A, consume it, POST {@code /run} to the warm container,
     * produce its answer to B, consume it.
     */
    long chain(byte[] value, RawHttp container) throws Exception {
        long t0 = System.nanoTime();
        producer.send(new ProducerRecord<>(topicA, value)).get();
        await(consumerA);
        container.post("/run", RUN);
        producer.send(new ProducerRecord<>(topicB, value)).get();
        await(consumerB);
        return System.nanoTime() - t0;
    }

    /**
     * The chain as a closed loop with {@code inFlight} requests outstanding, as Wisp's clients: each request
     * goes to A; a responder consumes A and hands each record to one of the warm containers' connections (one
     * worker each, as the invoker runs one activation per container at a time), which POSTs {@code /run} and
     * produces the reply to B; each reply consumed sends the next request. Returns chains per second.
     */
    double chainRate(int inFlight, Duration window, byte[] value, List<RawHttp> containers) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        BlockingQueue<byte[]> work = new LinkedBlockingQueue<>();
        AtomicLong failures = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        threads.add(Thread.ofPlatform().name("chain-responder").start(() -> {
            while (running.get()) {
                for (var r : consumerA.poll(Duration.ofMillis(5))) {
                    work.add(r.value());
                }
            }
        }));
        // the workers sleep until a record comes (woken by the queue, interrupted at the end): a timed poll would
        // wake each of up to 64 of them every few milliseconds, CPU the floor would count and Wisp does not spend
        List<Thread> workers = new ArrayList<>();
        for (RawHttp container : containers) {
            workers.add(Thread.ofPlatform().name("chain-http").start(() -> {
                while (running.get()) {
                    try {
                        byte[] v = work.take();
                        container.post("/run", RUN);
                        producer.send(new ProducerRecord<>(topicB, v));
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }
            }));
        }
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
            lastReplies = replies;
            if (failures.get() > 0) {
                System.out.println("chain floor: " + failures.get() + " container calls failed");
            }
            return replies / ((System.nanoTime() - t0) / 1e9);
        } finally {
            running.set(false);
            workers.forEach(Thread::interrupt);
            threads.addAll(workers);
            for (Thread t : threads) {
                t.join();
            }
            quiet();
        }
    }

    /** Lets the requests still in flight come back, so the next measure starts from an empty loop. */
    private void quiet() {
        long quiet = System.nanoTime() + 500_000_000L;
        while (System.nanoTime() < quiet) {
            consumerA.poll(Duration.ofMillis(20));
            consumerB.poll(Duration.ofMillis(20));
        }
    }

    private static void await(KafkaConsumer<byte[], byte[]> c) {
        while (true) {
            ConsumerRecords<byte[], byte[]> r = c.poll(Duration.ofMillis(5));
            if (!r.isEmpty()) {
                return;
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
