package dev.wisp.controller.trigger;

import dev.wisp.common.kafka.Feed;
import dev.wisp.common.kafka.Topics;
import dev.wisp.common.message.FireMessage;
import io.vertx.core.Context;
import java.time.Duration;

/**
 * Consumes {@link Topics#TRIGGER_FIRES} in the group all controllers share, so each fire is processed by one
 * controller. A fire's offset is committed only after {@link FireProcessor} finished it (its rules' activations
 * in Kafka, the trigger record stored); a controller that dies mid-fire leaves it to the next owner of the
 * partition, which reuses the same activation ids. A fire that fails is tried again after a pause.
 */
public final class FireFeed implements AutoCloseable {
    private final Feed<FireMessage> feed;

    public FireFeed(Context context, String kafka, FireProcessor processor) {
        this.feed = Feed.builder(kafka, Topics.TRIGGER_FIRES_GROUP, Topics.TRIGGER_FIRES, Feed.json(FireMessage.class))
                .name("fires").maxInFlight(32).retryAfter(Duration.ofSeconds(2))
                .describe(f -> "[" + f.transactionId() + "] fire " + f.activationId())
                .durable(context, d -> processor.process(d.message()));
    }

    public void start() {
        feed.start();
    }

    @Override
    public void close() {
        feed.close();
    }
}
