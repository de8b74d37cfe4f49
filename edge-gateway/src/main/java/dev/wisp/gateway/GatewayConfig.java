package dev.wisp.gateway;

import dev.wisp.common.config.Settings;

/**
 * @param host         interface the public API listens on
 * @param port         public port (OpenWhisk standalone's is 3233)
 * @param zookeeper    where live controllers are announced
 * @param maxBodyBytes largest request body forwarded
 */
public record GatewayConfig(String host, int port, String zookeeper, long maxBodyBytes) {
    public static GatewayConfig from(Settings s) {
        GatewayConfig c = new GatewayConfig(
                s.string("gateway.host", "127.0.0.1"),
                s.integer("gateway.port", 3233, 0, 65535),
                s.required("zookeeper.connect"),
                s.integer("gateway.max.body.bytes", 72 * 1024 * 1024, 1024, Integer.MAX_VALUE));
        s.check();
        return c;
    }
}
