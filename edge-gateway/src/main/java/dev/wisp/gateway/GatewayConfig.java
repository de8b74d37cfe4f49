package dev.wisp.gateway;

import dev.wisp.common.config.Settings;

/**
 * @param host         interface the public API listens on
 * @param port         public port (OpenWhisk standalone's is 3233)
 * @param actionsHost  a second address the API also listens on, on the same port where it is free: the host's
 *                     address on the action network, the one way from an action container into Wisp (null: none)
 * @param zookeeper    where live controllers are announced
 * @param maxBodyBytes largest request body forwarded
 */
public record GatewayConfig(String host, int port, String actionsHost, String zookeeper, long maxBodyBytes) {
    public static GatewayConfig from(Settings s) {
        GatewayConfig c = new GatewayConfig(
                s.string("gateway.host", "127.0.0.1"),
                s.integer("gateway.port", 3233, 0, 65535),
                s.string("gateway.actions.host", null),
                s.required("zookeeper.connect"),
                s.integer("gateway.max.body.bytes", 72 * 1024 * 1024, 1024, Integer.MAX_VALUE));
        s.check();
        return c;
    }
}
