package dev.wisp.invoker;

import dev.wisp.common.config.Limits;
import dev.wisp.common.config.Settings;
import dev.wisp.invoker.activation.RetryPolicy;
import dev.wisp.invoker.pool.PrewarmSpec;
import java.time.Duration;
import java.util.List;

/**
 * Everything an invoker needs, read once at start-up.
 *
 * @param uniqueName    stable name of this invoker; the same name always gets the same instance number
 * @param userMemoryMb  memory for action containers
 * @param maxInFlight   activations taken from Kafka at once before fetching pauses
 * @param network       Docker network the action containers join (created if absent)
 * @param publishPorts  reach containers through ports published on 127.0.0.1 instead of their network address
 *                      (an invoker on the host); false for an invoker inside the Docker network
 * @param pauseGrace    an idle container is paused after this long (0 never pauses)
 * @param prewarm       stem cells, {@code image=count[@memoryMb],...}
 * @param retries       how non-blocking activations that fail in the system are retried
 * @param adoptAfter    how long an invoker must be gone before a survivor takes over its topic
 * @param journal       file listing every activation id run (for durability tests), or null
 * @param adminPort     port of {@code /ping} and {@code /metrics} (0 picks a free one, announced in ZooKeeper)
 */
public record InvokerConfig(
        String uniqueName,
        String kafka,
        int kafkaReplication,
        String zookeeper,
        String storeUrl,
        String storeUser,
        String storePassword,
        String storePrefix,
        String dockerHost,
        String network,
        boolean publishPorts,
        int userMemoryMb,
        int maxInFlight,
        Duration pauseGrace,
        Duration idleTimeout,
        List<PrewarmSpec> prewarm,
        RetryPolicy retries,
        Duration adoptAfter,
        String journal,
        String adminHost,
        int adminPort,
        Limits limits) {

    public static InvokerConfig from(Settings s) {
        int memory = s.integer("invoker.memory.mb", 2048, 128, 1 << 20);
        InvokerConfig c = new InvokerConfig(
                s.string("invoker.name", defaultName()),
                s.required("kafka.bootstrap"),
                s.integer("kafka.replication", 1, 1, 5),
                s.required("zookeeper.connect"),
                s.required("store.url"),
                s.string("store.user", null),
                s.string("store.password", null),
                s.string("store.prefix", "wisp_"),
                s.string("docker.host", "unix:///var/run/docker.sock"),
                s.string("invoker.network", "wisp-net"),
                s.bool("invoker.publish.ports", true),
                memory,
                s.integer("invoker.max.inflight", Math.max(4, memory / 64), 1, 100_000),
                s.duration("invoker.pause.grace", Duration.ofSeconds(2)),
                s.duration("invoker.idle.timeout", Duration.ofMinutes(10)),
                prewarm(s),
                new RetryPolicy(s.integer("invoker.retries", 2, 0, 20),
                        s.duration("invoker.retry.backoff", Duration.ofSeconds(1))),
                s.duration("invoker.adopt.after", Duration.ofSeconds(2)),
                s.string("invoker.journal", null),
                s.string("invoker.admin.host", "127.0.0.1"),
                s.integer("invoker.admin.port", 0, 0, 65535),
                Limits.from(s));
        s.check();
        return c;
    }

    private static List<PrewarmSpec> prewarm(Settings s) {
        String text = s.string("invoker.prewarm", "wisp/action-nodejs:latest=2@256");
        try {
            return PrewarmSpec.parse(text, 256);
        } catch (IllegalArgumentException e) {
            s.problem("invoker.prewarm=" + text + ": " + e.getMessage());
            return List.of();
        }
    }

    private static String defaultName() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "invoker-local" : "invoker-" + host;
    }
}
