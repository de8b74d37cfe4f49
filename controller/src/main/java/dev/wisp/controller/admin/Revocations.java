package dev.wisp.controller.admin;

import dev.wisp.common.codec.Json;
import dev.wisp.common.kafka.KafkaSender;
import dev.wisp.common.kafka.Topics;
import dev.wisp.controller.cache.InvalidationMessage;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * Tells running controllers that keys were revoked, or entities changed, on the cache invalidation topic, so
 * that they drop what they cached. Without a Kafka address it only warns that the old keys may work for a few
 * seconds (the old entities for the controllers' cache time-to-live).
 */
final class Revocations {
    private final String bootstrap;
    private final PrintStream err;

    Revocations(String bootstrap, PrintStream err) {
        this.bootstrap = bootstrap;
        this.err = err;
    }

    void announce(List<String> uuids) {
        if (bootstrap == null) {
            err.println("note: running controllers may accept the old key for up to 10 s"
                    + " (pass --kafka.bootstrap=HOST:PORT to revoke it at once)");
            return;
        }
        try {
            send(uuids.stream().map(InvalidationMessage::subjectKey).toList());
        } catch (RuntimeException e) {
            err.println("warning: the key is revoked in the store, but running controllers were not told ("
                    + e.getMessage() + "); they stop accepting it within 10 s");
        }
    }

    /** Announces changed entities by their document ids ({@code namespace/package/name}). */
    void announceEntities(List<String> docIds) {
        if (docIds.isEmpty()) {
            return;
        }
        if (bootstrap == null) {
            err.println("note: running controllers may serve the previous versions until their cache entries expire"
                    + " (pass --kafka.bootstrap=HOST:PORT to tell them at once)");
            return;
        }
        try {
            send(docIds);
        } catch (RuntimeException e) {
            err.println("warning: the store has the changes, but running controllers were not told ("
                    + e.getMessage() + "); they see them when their cache entries expire");
        }
    }

    private void send(List<String> keys) {
        try (KafkaSender sender = new KafkaSender(bootstrap, "wisp-admin", Duration.ofSeconds(15))) {
            for (String key : keys) {
                sender.send(Topics.cacheInvalidation(), key, Json.encode(new InvalidationMessage(key, "admin"))).await();
            }
        }
    }
}
