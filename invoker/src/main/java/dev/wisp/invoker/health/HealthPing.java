package dev.wisp.invoker.health;

import java.nio.ByteBuffer;

/**
 * The invoker's probe of its Kafka path: a record it publishes to its own topic and must see come back through
 * its own consumer. The key marks it so the feed never mistakes it for an activation.
 */
public final class HealthPing {
    public static final String KEY = "__wisp_health_ping__";

    private HealthPing() {
    }

    static byte[] encode(long sentAt) {
        return ByteBuffer.allocate(Long.BYTES).putLong(sentAt).array();
    }

    static long decode(byte[] value) {
        return value != null && value.length == Long.BYTES ? ByteBuffer.wrap(value).getLong() : 0L;
    }
}
