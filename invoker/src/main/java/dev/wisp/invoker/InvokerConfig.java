package dev.wisp.invoker;

import dev.wisp.common.config.Limits;
import dev.wisp.common.config.Settings;
import java.time.Duration;

/**
 * Everything an invoker needs, read once at start-up.
 *
 * @param uniqueName    stable name of this invoker; the same name always gets the same instance number
 * @param userMemoryMb  memory for action containers
 * @param maxInFlight   activations taken from Kafka at once before fetching pauses
 * @param network       Docker network the action containers join (created if absent)
 * @param publishPorts  reach containers through ports published on 127.0.0.1 instead of their network address
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
        Duration idleTimeout,
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
                s.bool("invoker.publish.ports", false),
                memory,
                s.integer("invoker.max.inflight", Math.max(4, memory / 64), 1, 100_000),
                s.duration("invoker.idle.timeout", Duration.ofMinutes(10)),
                Limits.from(s));
        s.check();
        return c;
    }

    private static String defaultName() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "invoker-local" : "invoker-" + host;
    }
}
