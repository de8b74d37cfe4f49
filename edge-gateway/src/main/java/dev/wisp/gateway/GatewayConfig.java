package dev.wisp.gateway;

import dev.wisp.common.config.CommonSettings;
import dev.wisp.common.config.Settings;
import dev.wisp.gateway.defence.EdgeLimits;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The edge gateway's configuration, read once at start-up; {@link GatewaySettings} defines each key.
 *
 * @param host         interface the public API listens on
 * @param port         public port (OpenWhisk standalone's is 3233)
 * @param actionsHost  a second address the API also listens on, on the same port where it is free: the host's
 *                     address on the action network, the one way from an action container into Wisp (null: none)
 * @param zookeeper    where live controllers are announced
 * @param maxBodyBytes largest request body forwarded
 * @param limits       what each client may hold and send before a controller works for it
 * @param tlsCert      PEM certificate chain of the public listener, which then speaks only HTTPS (null: HTTP)
 * @param tlsKey       PEM private key for {@code tlsCert}
 */
public record GatewayConfig(String host, int port, String actionsHost, String zookeeper, long maxBodyBytes,
                            EdgeLimits limits, Path tlsCert, Path tlsKey) {
    public static GatewayConfig from(Settings s) {
        String cert = s.get(GatewaySettings.TLS_CERT);
        String key = s.get(GatewaySettings.TLS_KEY);
        if ((cert == null) != (key == null)) {
            s.problem("gateway.tls.cert and gateway.tls.key go together: set both for HTTPS, or neither");
        }
        for (String file : new String[] {cert, key}) {
            if (file != null && !Files.isReadable(Path.of(file))) {
                s.problem("the TLS file " + file + " cannot be read");
            }
        }
        GatewayConfig c = new GatewayConfig(
                s.get(GatewaySettings.HOST),
                s.get(GatewaySettings.PORT),
                s.get(GatewaySettings.ACTIONS_HOST),
                s.get(CommonSettings.ZOOKEEPER_CONNECT),
                s.get(GatewaySettings.MAX_BODY_BYTES),
                EdgeLimits.from(s),
                cert == null ? null : Path.of(cert),
                key == null ? null : Path.of(key));
        s.check();
        return c;
    }

    public boolean tls() {
        return tlsCert != null && tlsKey != null;
    }
}
