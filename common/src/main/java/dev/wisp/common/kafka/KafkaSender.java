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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
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
 *
 * <p>Safe on an event loop: Kafka's {@code send()} blocks its caller (up to {@code max.block.ms}) whenever it
 * lacks a topic's metadata (the first send to a topic, and again after a broker restart or a failed produce
 * made it drop what it knew: an invoker's event loop once waited 14 s there while its broker was restarting)
 * or its buffer is full because the brokers are away. No cheap test tells those cases apart in advance, so every
 * send from an event loop is handed to this sender's own thread, in order, and the event loop moves on; only
 * callers on other threads call the producer themselves.
 */
public final class KafkaSender implements AutoCloseable {
    /** Largest record we publish; topics are created to accept it. */
    public static final int MAX_RECORD_BYTES = 8 * 1024 * 1024;

    /** The producer's {@code buffer.memory}. */
    private static final long BUFFER_BYTES = 32L * 1024 * 1024;

    private final KafkaProducer<String, byte[]> producer;
    private final ExecutorService mayBlock;
    /** Longest a send may wait on {@link #mayBlock}'s queue before it is given up unsent. */
    private final long maxQueuedNanos;
    private volatile long lastConfirmed;

    public KafkaSender(String bootstrapServers, String clientId, Duration deliveryTimeout) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        long delivery = deliveryTimeout.toMillis();
        maxQueuedNanos = deliveryTimeout.toNanos();
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
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, BUFFER_BYTES);
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        mayBlock = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "wisp-kafka-send-" + clientId);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The longest a {@link #send} with this delivery timeout takes to complete: as long on its thread's queue
     * (behind sends that block on metadata; longer, it is given up unsent), in Kafka's {@code send()}
     * ({@code max.block.ms}) and in delivery. A publish whose outcome was unknown may still reach Kafka until then.
     */
    public static Duration longestSend(Duration deliveryTimeout) {
        return deliveryTimeout.multipliedBy(3);
    }

    /**
     * Publishes one record and completes once every in-sync replica has it.
     *
     * @return a Future failing with {@link WispException} UNAVAILABLE: with a cause when the outcome is unknown,
     *         without one when the record was not sent (it waited too long behind other sends)
     */
    public Future<Void> send(String topic, String key, byte[] value) {
        Context context = Vertx.currentContext();
        Promise<Void> promise = Promise.promise();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        if (context != null && context.isEventLoopContext()) {
            long queued = System.nanoTime();
            try {
                mayBlock.execute(() -> {
                    if (System.nanoTime() - queued > maxQueuedNanos) {
                        // behind sends that blocked on the brokers for so long that this one's caller has timed
                        // out: given up unsent, so the time a publish can take stays bounded (longestSend)
                        context.runOnContext(v -> promise.fail(new WispException(ErrorKind.UNAVAILABLE,
                                "The message bus is not taking invocations in time; not sent. Try again later.")));
                        return;
                    }
                    publish(record, context, promise);
                });
            } catch (RejectedExecutionException closed) {
                promise.fail(translate(new IllegalStateException("the sender is closed")));
            }
        } else {
            publish(record, context, promise);
        }
        return promise.future();
    }

    private void publish(ProducerRecord<String, byte[]> record, Context context, Promise<Void> promise) {
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    lastConfirmed = System.currentTimeMillis();
                }
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
            if (context != null) {
                context.runOnContext(v -> promise.fail(translate(e)));
            } else {
                promise.fail(translate(e));
            }
        }
    }

    /** Epoch milliseconds when Kafka last confirmed a record of this sender, 0 for never. */
    public long lastConfirmed() {
        return lastConfirmed;
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
        mayBlock.shutdown();
        producer.close(Duration.ofSeconds(5));
    }
}
