package dev.wisp.controller.activation;

import dev.wisp.common.codec.Json;
import dev.wisp.common.kafka.ConsumerLoop;
import dev.wisp.common.kafka.OffsetTracker;
import dev.wisp.common.kafka.Topics;
import dev.wisp.common.message.SequenceMessage;
import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@link Topics#SEQUENCES} in the group all controllers share, so each accepted sequence is run by one
 * controller. Its offset is committed only after {@link Sequences#orchestrate} stored the final record, and only
 * as a contiguous prefix; a controller that dies mid-sequence leaves it to the next owner of the partition, which
 * continues from the component records. A sequence that fails to finish is tried again here after a pause; one
 * delivered again while it still runs here (a rebalance gave its partition back, or an Idempotency-Key retry
 * published it again) is not started twice. Records arrive on the Kafka thread and are processed on
 * {@code context}.
 */
public final class SequenceFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SequenceFeed.class);
    private static final int MAX_IN_FLIGHT = 512;
    private static final long RETRY_MILLIS = 2_000;

    private final Context context;
    private final Sequences sequences;
    private final ConsumerLoop loop;
    private final OffsetTracker offsets = new OffsetTracker();
    /** The sequences running here, by activation id, with the offsets each one commits when it ends. */
    private final Map<String, List<Map.Entry<TopicPartition, Long>>> running = new HashMap<>();
    private volatile boolean closed;
    private int inFlight;

    public SequenceFeed(Context context, String kafka, Sequences sequences) {
        this.context = context;
        this.sequences = sequences;
        this.loop = new ConsumerLoop(kafka, Topics.SEQUENCES_GROUP, Topics.SEQUENCES, false, this::onRecord);
    }

    /** On the Kafka thread. */
    private void onRecord(ConsumerRecord<String, byte[]> record) {
        boolean redelivered = loop.maybeRedelivered(record);
        context.runOnContext(v -> accept(record, redelivered));
    }

    public void start() {
        loop.start();
    }

    private void accept(ConsumerRecord<String, byte[]> record, boolean maybeRedelivered) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        offsets.started(tp, record.offset());
        SequenceMessage msg;
        try {
            msg = Json.decode(record.value(), SequenceMessage.class);
        } catch (RuntimeException e) {
            LOG.error("dropping unreadable sequence at {}@{}: {}", tp, record.offset(), e.toString());
            finished(tp, record.offset());
            return;
        }
        String id = msg.activationId().value();
        List<Map.Entry<TopicPartition, Long>> waiting = running.get(id);
        if (waiting != null) {
            // delivered again (a rebalance gave its partition back, or a key's retry published it again) while
            // it runs here: the run in progress commits this offset too
            waiting.add(Map.entry(tp, record.offset()));
            return;
        }
        running.put(id, new ArrayList<>(List.of(Map.entry(tp, record.offset()))));
        if (++inFlight >= MAX_IN_FLIGHT) {
            loop.pause();
        }
        process(msg, maybeRedelivered);
    }

    private void process(SequenceMessage msg, boolean maybeRedelivered) {
        sequences.orchestrate(msg, maybeRedelivered).onComplete(ar -> {
            if (ar.succeeded()) {
                if (--inFlight < MAX_IN_FLIGHT) {
                    loop.resume();
                }
                List<Map.Entry<TopicPartition, Long>> done = running.remove(msg.activationId().value());
                if (done != null) {
                    done.forEach(e -> finished(e.getKey(), e.getValue()));
                }
            } else if (!closed) {
                LOG.warn("[{}] sequence {} not finished, trying again: {}", msg.transactionId(), msg.activationId(),
                        ar.cause().toString());
                context.owner().setTimer(RETRY_MILLIS, t -> process(msg, true));
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
