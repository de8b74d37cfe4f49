package dev.wisp.common.kafka;

import dev.wisp.common.message.InvokerId;

/** Kafka topic names shared by controllers and invokers. */
public final class Topics {
    private Topics() {
    }

    /** The topic an invoker consumes its activations from. */
    public static String invoker(InvokerId id) {
        return invoker(id.toString());
    }

    /** The topic of the invoker announced in ZooKeeper under this name ({@code invoker0}). */
    public static String invoker(String invokerName) {
        return "wisp." + invokerName;
    }

    /**
     * The topic on which controllers announce that an entity changed, so every controller evicts it from its
     * cache. Each controller consumes it in its own group.
     */
    public static String cacheInvalidation() {
        return "wisp.cache.invalidate";
    }

    /** The topic a controller consumes completions from. */
    public static String completions(String controllerId) {
        return "wisp.completed." + controllerId;
    }

    /**
     * Accepted trigger fires, consumed by all controllers in one group ({@link #TRIGGER_FIRES_GROUP}); each fire
     * is committed only once its rules' activations are in Kafka and the trigger's record is stored.
     */
    public static final String TRIGGER_FIRES = "wisp.trigger.fire";

    /** The consumer group the controllers share on {@link #TRIGGER_FIRES}. */
    public static final String TRIGGER_FIRES_GROUP = "wisp-trigger-fires";

    /** Partitions of {@link #TRIGGER_FIRES}: how many controllers can process fires in parallel. */
    public static final int TRIGGER_FIRES_PARTITIONS = 8;

    /**
     * Accepted sequence invokes, consumed by all controllers in one group ({@link #SEQUENCES_GROUP}); each is
     * committed only once the sequence's final record is stored.
     */
    public static final String SEQUENCES = "wisp.sequence";

    /** The consumer group the controllers share on {@link #SEQUENCES}. */
    public static final String SEQUENCES_GROUP = "wisp-sequences";

    /** Partitions of {@link #SEQUENCES}: how many controllers can orchestrate sequences in parallel. */
    public static final int SEQUENCES_PARTITIONS = 8;

    /** Non-blocking activations that failed in the system on every attempt, with the reason. */
    public static final String DEAD_LETTERS = "wisp.deadletter";

    /** Small records a controller publishes, when it has published nothing else lately, to learn whether it can. */
    public static final String HEALTH = "wisp.health";
}
