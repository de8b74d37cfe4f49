package dev.wisp.controller.trigger;

import dev.wisp.common.codec.Json;
import dev.wisp.common.kafka.ConsumerLoop;
import dev.wisp.common.kafka.OffsetTracker;
import dev.wisp.common.kafka.Topics;
import dev.wisp.common.message.FireMessage;
import io.vertx.core.Context;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@link Topics#TRIGGER_FIRES} in the group all controllers share, so each fire is processed by one
 * controller. A fire's offset is committed only after {@link FireProcessor} finished it (its rules' activations
 * in Kafka, the trigger record stored), and only as a contiguous prefix; a controller that dies mid-fire leaves it
 * to the next owner of the partition, which reuses the same activation ids. A fire that fails is tried again here
 * after a pause. Records arrive on the Kafka thread and are processed on {@code context}.
 */
public final class FireFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FireFeed.class);
    private static final int MAX_IN_FLIGHT = 32;
    private static final long RETRY_MILLIS = 2_000;

    private final Context context;
    private final FireProcessor processor;
    private final ConsumerLoop loop;
    private final OffsetTracker offsets = new OffsetTracker();
    private volatile boolean closed;
    private int inFlight;

    public FireFeed(Context context, String kafka, FireProcessor processor) {
        this.context = context;
        this.processor = processor;
        this.loop = new ConsumerLoop(kafka, Topics.TRIGGER_FIRES_GROUP, Topics.TRIGGER_FIRES, false,
                r -> context.runOnContext(v -> accept(r)));
    }

    public void start() {
        loop.start();
    }

    private void accept(ConsumerRecord<String, byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        offsets.started(tp, record.offset());
        FireMessage fire;
        try {
            fire = Json.decode(record.value(), FireMessage.class);
        } catch (RuntimeException e) {
            LOG.error("dropping unreadable fire at {}@{}: {}", tp, record.offset(), e.toString());
            finished(tp, record.offset());
            return;
        }
        if (++inFlight >= MAX_IN_FLIGHT) {
            loop.pause();
        }
        process(fire, tp, record.offset());
    }

    private void process(FireMessage fire, TopicPartition tp, long offset) {
        processor.process(fire).onComplete(ar -> {
            if (ar.succeeded()) {
                if (--inFlight < MAX_IN_FLIGHT) {
                    loop.resume();
                }
                finished(tp, offset);
            } else if (!closed) {
                LOG.warn("[{}] fire {} not finished, trying again: {}", fire.transactionId(), fire.activationId(),
                        ar.cause().toString());
                context.owner().setTimer(RETRY_MILLIS, t -> process(fire, tp, offset));
            }
        });
    }

    private void finished(TopicPartition tp, long offset) {
        OptionalLong commit = offsets.finished(tp, offset);
        if (commit.isPresent()) {
            loop.commit(tp, commit.getAsLong());
        }
    }

    @Override
    public void close() {
        closed = true;
        loop.close();
    }
}
