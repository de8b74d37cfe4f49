package dev.wisp.invoker;

import dev.wisp.common.config.Backends;
import dev.wisp.common.config.Limits;
import dev.wisp.common.config.Settings;
import dev.wisp.invoker.activation.RetryPolicy;
import dev.wisp.invoker.pool.PrewarmSpec;
import java.time.Duration;
import java.util.List;

/**
 * Everything an invoker needs, read once at start-up; {@link InvokerSettings} defines each key.
 *
 * @param uniqueName    stable name of this invoker; the same name always gets the same instance number
 * @param backends      Kafka, ZooKeeper and the store
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
 * @param prewarmReclaim when the user memory is full, a missing stem cell takes the memory of containers idle this
 *                      long or of superseded action revisions (0: never)
 * @param retries       how non-blocking activations that fail in the system are retried
 * @param adoptAfter    how long an invoker must be gone before a survivor takes over its topic
 * @param sendTimeout   how long a publish to Kafka may take before it fails
 * @param recordLinger  how long a final record waits for others to be written with it in one store request
 * @param journal       file listing every activation id run (for durability tests), or null
 * @param adminPort     port of {@code /ping} and {@code /metrics} (0 picks a free one, announced in ZooKeeper)
 */
public record InvokerConfig(
        String uniqueName,
        Backends backends,
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
        Duration prewarmReclaim,
        RetryPolicy retries,
        Duration adoptAfter,
        Duration sendTimeout,
        Duration recordLinger,
        String journal,
        String adminHost,
        int adminPort,
        Limits limits) {

    public static InvokerConfig from(Settings s) {
        int memory = s.get(InvokerSettings.MEMORY_MB);
        InvokerConfig c = new InvokerConfig(
                s.get(InvokerSettings.NAME, defaultName()),
                Backends.from(s),
                s.get(InvokerSettings.DOCKER_HOST),
                s.get(InvokerSettings.NETWORK),
                s.get(InvokerSettings.FIREWALL),
                s.get(InvokerSettings.CONTROL_NETWORK),
                s.get(InvokerSettings.FIREWALL_IMAGE),
                s.get(InvokerSettings.API_HOST),
                s.get(InvokerSettings.API_KEY_GRACE),
                s.get(InvokerSettings.CPUS),
                s.get(InvokerSettings.DISK_MB),
                s.get(InvokerSettings.PUBLISH_PORTS),
                memory,
                s.get(InvokerSettings.MAX_INFLIGHT, Math.max(64, memory / 16)),
                s.get(InvokerSettings.PAUSE_GRACE),
                s.get(InvokerSettings.IDLE_TIMEOUT),
                s.get(InvokerSettings.PREWARM),
                s.get(InvokerSettings.PREWARM_RECLAIM),
                new RetryPolicy(s.get(InvokerSettings.RETRIES), s.get(InvokerSettings.RETRY_BACKOFF)),
                s.get(InvokerSettings.ADOPT_AFTER),
                s.get(InvokerSettings.SEND_TIMEOUT),
                s.get(InvokerSettings.RECORD_LINGER),
                s.get(InvokerSettings.JOURNAL),
                s.get(InvokerSettings.ADMIN_HOST),
                s.get(InvokerSettings.ADMIN_PORT),
                Limits.from(s));
        s.check();
        return c;
    }

    private static String defaultName() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "invoker-local" : "invoker-" + host;
    }
}
