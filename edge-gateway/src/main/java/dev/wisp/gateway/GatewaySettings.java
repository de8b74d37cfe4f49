package dev.wisp.gateway;

import dev.wisp.common.config.Setting;
import dev.wisp.common.config.SettingDefinitions;
import java.time.Duration;

/**
 * The edge gateway's settings (it also reads {@code zookeeper.connect} of
 * {@link dev.wisp.common.config.CommonSettings}); the limits it holds each client to are
 * {@link dev.wisp.gateway.defence.EdgeLimits}.
 */
public final class GatewaySettings implements SettingDefinitions {
    public static final Setting<String> HOST = Setting.text("gateway.host", "127.0.0.1",
            "interface the public API listens on");
    public static final Setting<Integer> PORT = Setting.integer("gateway.port", 3233, 0, 65535,
            "public API port (0 picks a free one)");
    public static final Setting<String> ACTIONS_HOST = Setting.text("gateway.actions.host", null,
            "a second address of the API, the host's on the action network");
    public static final Setting<Integer> MAX_BODY_BYTES = Setting.integer("gateway.max.body.bytes",
            72 * 1024 * 1024, 1024, Integer.MAX_VALUE, "largest request body forwarded (413)");
    public static final Setting<String> TLS_CERT = Setting.text("gateway.tls.cert", null,
            "PEM certificate chain: the public listener speaks only HTTPS");
    public static final Setting<String> TLS_KEY = Setting.text("gateway.tls.key", null,
            "PEM private key of gateway.tls.cert");
    public static final Setting<Duration> HEADER_TIMEOUT = Setting.positiveDuration("gateway.header.timeout",
            Duration.ofSeconds(10), "from connecting to the end of the first request's headers");
    public static final Setting<Duration> KEEPALIVE_TIMEOUT = Setting.positiveDuration(
            "gateway.keepalive.timeout", Duration.ofSeconds(60), "from one answer to the next request's headers");
    public static final Setting<Duration> BODY_TIMEOUT = Setting.positiveDuration("gateway.body.timeout",
            Duration.ofSeconds(120), "from the end of a request's headers to the end of its body (408)");
    public static final Setting<Duration> BODY_IDLE_TIMEOUT = Setting.positiveDuration(
            "gateway.body.idle.timeout", Duration.ofSeconds(15), "longest silence in the middle of a body (408)");
    public static final Setting<Integer> MAX_CONNECTIONS_PER_ADDRESS = Setting.integer(
            "gateway.max.connections.per.address", 256, 1, 1_000_000, "open connections from one address (429)");
    public static final Setting<Integer> RATE_PER_ADDRESS = Setting.integer("gateway.rate.per.address", 5_000, 0,
            10_000_000, "requests a second from one address, burst as many (0: no limit; 429)");
    public static final Setting<Integer> RATE_PER_KEY = Setting.integer("gateway.rate.per.key", 5_000, 0,
            10_000_000, "requests a second with one set of credentials, burst as many (0: no limit; 429)");
    public static final Setting<Integer> BUFFER_BODY_BYTES = Setting.integer("gateway.buffer.body.bytes",
            1024 * 1024, 0, 64 * 1024 * 1024, "bodies up to this are read whole before a controller is involved");
}
