package dev.wisp.invoker;

import dev.wisp.common.config.Setting;
import dev.wisp.common.config.SettingDefinitions;
import dev.wisp.invoker.pool.PrewarmSpec;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** The invoker's settings (it also reads {@link dev.wisp.common.config.CommonSettings}). */
public final class InvokerSettings implements SettingDefinitions {
    public static final Setting<String> NAME = Setting.text("invoker.name", null,
            "stable name of this invoker; the same name always gets the same instance number")
            .defaultShownAs("invoker-$HOSTNAME");
    public static final Setting<Integer> MEMORY_MB = Setting.integer("invoker.memory.mb", 2048, 128, 1 << 20,
            "memory for action containers, MB");
    public static final Setting<Integer> MAX_INFLIGHT = Setting.integer("invoker.max.inflight", 128, 1, 100_000,
            "activations taken from Kafka at once (running, or their records being written) before fetching pauses")
            .defaultShownAs("invoker.memory.mb / 16, at least 64");
    public static final Setting<String> DOCKER_HOST = Setting.text("docker.host", "unix:///var/run/docker.sock",
            "the Docker engine actions run on");
    public static final Setting<String> NETWORK = Setting.text("invoker.network", "wisp-actions",
            "Docker network of the action containers (created if absent, inter-container traffic off)");
    public static final Setting<String> FIREWALL = Setting.oneOf("invoker.network.firewall", "iptables",
            "how the Docker host is closed to actions: host iptables, through a one-shot container, or off",
            "iptables", "docker", "off");
    public static final Setting<String> CONTROL_NETWORK = Setting.text("invoker.network.control", null,
            "Docker network of a control plane in containers on this host");
    public static final Setting<String> FIREWALL_IMAGE = Setting.text("invoker.firewall.image", "wisp/wisp:latest",
            "image of the one-shot container of invoker.network.firewall=docker");
    public static final Setting<String> API_HOST = Setting.of("invoker.api.host", null, "unset",
            "http(s)://host[:port]", InvokerSettings::apiHost,
            "the API's URL as action containers reach it (__OW_API_HOST)");
    public static final Setting<Duration> API_KEY_GRACE = Setting.duration("invoker.api.key.grace",
            Duration.ofSeconds(10), "how long after an activation's deadline its API key still works");
    public static final Setting<Double> CPUS = Setting.decimal("invoker.cpus", 0, 0, 1024,
            "CPU quota of each action container in CPUs (0: none)");
    public static final Setting<Integer> DISK_MB = Setting.integer("invoker.disk.mb", 1024, 0, 1 << 20,
            "writable layer of a container of a user's own image, MB, where the engine bounds it");
    public static final Setting<Boolean> PUBLISH_PORTS = Setting.bool("invoker.publish.ports", true,
            "reach containers through ports on 127.0.0.1 (false: an invoker inside the Docker network)");
    public static final Setting<Duration> PAUSE_GRACE = Setting.duration("invoker.pause.grace",
            Duration.ofSeconds(2), "an idle container is paused after this long (0: never)");
    public static final Setting<Duration> IDLE_TIMEOUT = Setting.duration("invoker.idle.timeout",
            Duration.ofMinutes(10), "an unused container is removed after this long");
    /** Two Node.js stem cells (the default kind) and a Python one, as OpenWhisk keeps stem cells of its common kinds. */
    static final String DEFAULT_PREWARM = "wisp/action-nodejs:latest=2@256,wisp/action-python:latest=1@256";
    public static final Setting<List<PrewarmSpec>> PREWARM = Setting.of("invoker.prewarm",
            PrewarmSpec.parse(DEFAULT_PREWARM, 256), DEFAULT_PREWARM,
            "image=count[@memoryMb],...", t -> PrewarmSpec.parse(t, 256), "stem cells kept ready");
    public static final Setting<Duration> PREWARM_RECLAIM = Setting.duration("invoker.prewarm.reclaim",
            Duration.ofMinutes(2), "when the user memory is full, a missing stem cell takes the memory of containers"
                    + " unused this long or of an action's older revision (0: never)");
    public static final Setting<Integer> RETRIES = Setting.integer("invoker.retries", 2, 0, 20,
            "more attempts of a non-blocking activation that failed in the system");
    public static final Setting<Duration> RETRY_BACKOFF = Setting.duration("invoker.retry.backoff",
            Duration.ofSeconds(1), "wait before the first retry, doubled for each next");
    public static final Setting<Duration> ADOPT_AFTER = Setting.duration("invoker.adopt.after",
            Duration.ofSeconds(2), "how long an invoker must be gone before a survivor takes over its topic");
    public static final Setting<Duration> SEND_TIMEOUT = Setting.positiveDuration("invoker.send.timeout",
            Duration.ofSeconds(30), "longest a publish to Kafka (completion, heartbeat) may take before it fails");
    public static final Setting<Duration> RECORD_LINGER = Setting.of("invoker.record.linger", Duration.ofMillis(16),
            "16ms", "a duration from 0 to 1s", InvokerSettings::recordLinger,
            "how long a finished activation's record waits for others to go to the store with it in one request"
                    + " (0: at once)");
    public static final Setting<String> JOURNAL = Setting.text("invoker.journal", null,
            "file listing every activation id run (durability tests)");
    public static final Setting<String> ADMIN_HOST = Setting.text("invoker.admin.host", "127.0.0.1",
            "interface of /ping and /metrics");
    public static final Setting<Integer> ADMIN_PORT = Setting.integer("invoker.admin.port", 0, 0, 65535,
            "port of /ping and /metrics (0 picks a free one, announced in ZooKeeper)");

    private static Duration recordLinger(String text) {
        Duration d = Setting.parseDuration(text);
        if (d.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("is longer than 1s");
        }
        return d;
    }

    private static String apiHost(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not a URL: " + e.getMessage());
        }
        if (uri.getHost() == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
            throw new IllegalArgumentException("is not an http(s) URL with a host");
        }
        return url;
    }
}
