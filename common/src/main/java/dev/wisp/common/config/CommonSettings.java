package dev.wisp.common.config;

import java.time.Duration;

/**
 * The settings every component shares: where Kafka, ZooKeeper and the store are, the system limits and the default
 * namespace throttles. Every process knows these keys, so a file or environment shared by every component never
 * has one refused.
 */
public final class CommonSettings implements SettingDefinitions {
    public static final Setting<String> KAFKA_BOOTSTRAP = Setting.required("kafka.bootstrap",
            "Kafka bootstrap servers, HOST:PORT,...");
    public static final Setting<Integer> KAFKA_REPLICATION = Setting.integer("kafka.replication", 1, 1, 5,
            "replication factor of the topics a component creates");
    public static final Setting<String> ZOOKEEPER_CONNECT = Setting.required("zookeeper.connect",
            "ZooKeeper connect string, HOST:PORT,...");
    public static final Setting<String> STORE_URL = Setting.required("store.url",
            "URL of the CouchDB-API store (PouchDB Server or CouchDB)");
    public static final Setting<String> STORE_USER = Setting.text("store.user", null, "the store's user name");
    public static final Setting<String> STORE_PASSWORD = Setting.text("store.password", null,
            "the store's password");
    public static final Setting<String> STORE_PREFIX = Setting.text("store.prefix", "wisp_",
            "prefix of Wisp's database names");

    private static final Limits D = Limits.DEFAULT;
    public static final Setting<Integer> LIMITS_PAYLOAD_BYTES = Setting.integer("limits.payload.bytes",
            D.payloadBytes(), 1024, 64 * 1_048_576, "largest invoke body, bound parameters merged");
    public static final Setting<Integer> LIMITS_RESULT_BYTES = Setting.integer("limits.result.bytes",
            D.resultBytes(), 1024, 64 * 1_048_576, "largest action result");
    public static final Setting<Integer> LIMITS_CODE_BYTES = Setting.integer("limits.code.bytes",
            D.codeBytes(), 1024, 256 * 1_048_576, "largest action code");
    public static final Setting<Integer> LIMITS_TIMEOUT_MIN_MS = Setting.integer("limits.timeout.min.ms",
            D.timeoutMinMs(), 1, Integer.MAX_VALUE, "smallest action timeout, ms");
    public static final Setting<Integer> LIMITS_TIMEOUT_MAX_MS = Setting.integer("limits.timeout.max.ms",
            D.timeoutMaxMs(), 1, Integer.MAX_VALUE, "largest action timeout, ms");
    public static final Setting<Integer> LIMITS_MEMORY_MIN_MB = Setting.integer("limits.memory.min.mb",
            D.memoryMinMb(), 16, 1 << 20, "smallest action memory, MB");
    public static final Setting<Integer> LIMITS_MEMORY_MAX_MB = Setting.integer("limits.memory.max.mb",
            D.memoryMaxMb(), 16, 1 << 20, "largest action memory, MB");
    public static final Setting<Integer> LIMITS_LOGS_MAX_MB = Setting.integer("limits.logs.max.mb",
            D.logsMaxMb(), 0, 1024, "largest log size of one activation, MB");
    public static final Setting<Integer> LIMITS_CONCURRENCY_MAX = Setting.integer("limits.concurrency.max",
            D.concurrencyMax(), 1, 10_000, "most concurrent activations in one container");
    public static final Setting<Duration> LIMITS_BLOCKING_WAIT = Setting.duration("limits.blocking.wait",
            D.blockingWait(), "longest a blocking invoke waits before answering 202");
    public static final Setting<Integer> INVOCATIONS_PER_MINUTE = Setting.integer("limits.invocations.per.minute",
            60, 1, Integer.MAX_VALUE, "default invocations a minute of one namespace");
    public static final Setting<Integer> INVOCATIONS_CONCURRENT = Setting.integer("limits.invocations.concurrent",
            30, 1, Integer.MAX_VALUE, "default concurrent invocations of one namespace");
    public static final Setting<Integer> FIRES_PER_MINUTE = Setting.integer("limits.fires.per.minute", 60, 1,
            Integer.MAX_VALUE, "default trigger fires a minute of one namespace");
}
