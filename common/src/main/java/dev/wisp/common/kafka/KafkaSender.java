package dev.wisp.common.kafka;

import dev.wisp.common.error.ErrorKind;
import dev.wisp.common.error.WispException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A durable Kafka producer: acks=all and idempotence, so a completed send is replicated to every in-sync
 * replica exactly once. {@link #send} returns a Future that completes on the caller's Vert.x context (or on the
 * producer's I/O thread when called from outside one). A send whose delivery timeout expired has an unknown
 * outcome and fails with {@link ErrorKind#UNAVAILABLE}.
 */
public final class KafkaSender implements AutoCloseable {
    /** Largest record we publish; topics are created to accept it. */
    public static final int MAX_RECORD_BYTES = 8 * 1024 * 1024;

    private final KafkaProducer<String, byte[]> producer;

    public KafkaSender(String bootstrapServers, String clientId, Duration deliveryTimeout) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        long delivery = deliveryTimeout.toMillis();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_RECORD_BYTES);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) delivery);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, delivery - 1000));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, delivery);
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Publishes one record and completes once every in-sync replica has it.
     *
     * @return a Future failing with {@link WispException} UNAVAILABLE when the outcome is unknown
     */
    public Future<Void> send(String topic, String key, byte[] value) {
        Context context = Vertx.currentContext();
        Promise<Void> promise = Promise.promise();
        try {
            producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                Runnable complete = () -> {
                    if (error == null) {
                        promise.complete();
                    } else {
                        promise.fail(translate(error));
                    }
                };
                if (context != null) {
                    context.runOnContext(v -> complete.run());
                } else {
                    complete.run();
                }
            });
        } catch (RuntimeException e) {
            promise.fail(translate(e));
        }
        return promise.future();
    }

    private static WispException translate(Exception error) {
        if (error instanceof TimeoutException) {
            return new WispException(ErrorKind.UNAVAILABLE,
                    "The invocation could not be stored in time; it may or may not run. Try again later.", error);
        }
        return new WispException(ErrorKind.UNAVAILABLE, "The message bus refused the invocation: "
                + error.getMessage(), error);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
