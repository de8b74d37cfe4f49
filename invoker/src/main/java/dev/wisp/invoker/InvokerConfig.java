package dev.wisp.invoker;

import dev.wisp.common.config.Limits;
import dev.wisp.common.config.Settings;
import dev.wisp.invoker.activation.RetryPolicy;
import dev.wisp.invoker.pool.PrewarmSpec;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Everything an invoker needs, read once at start-up.
 *
 * @param uniqueName    stable name of this invoker; the same name always gets the same instance number
 * @param userMemoryMb  memory for action containers
 * @param maxInFlight   activations taken from Kafka at once before fetching pauses
 * @param network       Docker network the action containers join (created if absent, with inter-container
 *                      traffic off)
 * @param firewall      close the Docker host to action containers but for the API: {@code iptables} (the
 *                      default, an invoker on the host as root), {@code docker} (an invoker in a container: the
 *                      rules are set on the Docker host through a one-shot privileged container of
 *                      {@code firewallImage}), or {@code off} (left to the operator)
 * @param controlNetwork the Docker network of the control plane when it runs in containers on this host (the
 *                      firewall then lets actions reach the API's port there, and the invokers the runtimes)
 * @param firewallImage the image of the one-shot container of {@code firewall=docker}
 * @param apiHost       the public API as action containers reach it ({@code __OW_API_HOST}; a host name is
 *                      resolved once by the invoker, as actions cannot resolve it), or null for none
 * @param apiKeyGrace   how long after an activation's deadline its API key still works
 * @param cpus          CPU quota of each action container in CPUs (0: none; CPU shares always follow memory)
 * @param diskMb        writable layer of a container of a user's own image, where the engine can bound it
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
        String firewall,
        String controlNetwork,
        String firewallImage,
        String apiHost,
        Duration apiKeyGrace,
        double cpus,
        int diskMb,
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
                s.string("invoker.network", "wisp-actions"),
                firewall(s),
                s.string("invoker.network.control", null),
                s.string("invoker.firewall.image", "wisp/wisp:latest"),
                apiHost(s),
                s.duration("invoker.api.key.grace", Duration.ofSeconds(10)),
                cpus(s),
                s.integer("invoker.disk.mb", 1024, 0, 1 << 20),
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

    private static String firewall(Settings s) {
        String mode = s.string("invoker.network.firewall", "iptables");
        if (!mode.equals("iptables") && !mode.equals("docker") && !mode.equals("off")) {
            s.problem("invoker.network.firewall=" + mode + ": expected iptables, docker or off");
        }
        return mode;
    }

    private static String apiHost(Settings s) {
        String url = s.string("invoker.api.host", null);
        if (url != null) {
            try {
                URI uri = URI.create(url);
                if (uri.getHost() == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
                    s.problem("invoker.api.host=" + url + ": expected http(s)://host[:port]");
                }
            } catch (IllegalArgumentException e) {
                s.problem("invoker.api.host=" + url + ": " + e.getMessage());
            }
        }
        return url;
    }

    private static double cpus(Settings s) {
        String text = s.string("invoker.cpus", "0");
        try {
            double cpus = Double.parseDouble(text);
            if (cpus < 0 || cpus > 1024 || Double.isNaN(cpus)) {
                s.problem("invoker.cpus=" + text + ": expected a number of CPUs from 0 (no quota) to 1024");
            }
            return cpus;
        } catch (NumberFormatException e) {
            s.problem("invoker.cpus=" + text + ": expected a number of CPUs, e.g. 0.5");
            return 0;
        }
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
