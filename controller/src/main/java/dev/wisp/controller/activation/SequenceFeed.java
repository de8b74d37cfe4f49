package dev.wisp.controller.activation;

import dev.wisp.common.kafka.Feed;
import dev.wisp.common.kafka.Topics;
import dev.wisp.common.message.SequenceMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Consumes {@link Topics#SEQUENCES} in the group all controllers share, so each accepted sequence is run by one
 * controller. Its offset is committed only after {@link Sequences#orchestrate} stored the final record; a
 * controller that dies mid-sequence leaves it to the next owner of the partition, which continues from the
 * component records. A sequence that fails to finish is tried again after a pause; one delivered again while it
 * still runs here (a rebalance gave its partition back, or an Idempotency-Key retry published it again) is not
 * started twice: the run in progress finishes both deliveries.
 */
public final class SequenceFeed implements AutoCloseable {
    private final Feed<SequenceMessage> feed;
    /** The sequences running here, by activation id. On the feed's context. */
    private final Map<String, Future<Void>> running = new HashMap<>();

    public SequenceFeed(Context context, String kafka, Sequences sequences) {
        this.feed = Feed.builder(kafka, Topics.SEQUENCES_GROUP, Topics.SEQUENCES, Feed.json(SequenceMessage.class))
                .name("sequences").maxInFlight(512).retryAfter(Duration.ofSeconds(2))
                .describe(m -> "[" + m.transactionId() + "] sequence " + m.activationId())
                .durable(context, d -> {
                    String id = d.message().activationId().value();
                    Future<Void> inProgress = running.get(id);
                    if (inProgress != null) {
                        return inProgress;
                    }
                    Future<Void> run = sequences.orchestrate(d.message(), d.maybeRedelivered());
                    running.put(id, run);
                    return run.onComplete(ar -> running.remove(id));
                });
    }

    public void start() {
        feed.start();
    }

    @Override
    public void close() {
        feed.close();
    }
}
