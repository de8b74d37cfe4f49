package dev.wisp.gateway.defence;

import dev.wisp.common.config.Settings;
import dev.wisp.gateway.GatewaySettings;
import java.time.Duration;

/**
 * What the gateway allows each client before any controller does work for it. Every limit is named in the answer
 * that enforces it, with its setting.
 *
 * @param headerTimeout         from connecting to the end of the first request's headers
 *                              ({@code gateway.header.timeout}); past it the connection is closed
 * @param keepAliveTimeout      from the end of one answer to the end of the next request's headers on the same
 *                              connection ({@code gateway.keepalive.timeout})
 * @param bodyTimeout           from the end of a request's headers to the end of its body
 *                              ({@code gateway.body.timeout}); past it the answer is 408
 * @param bodyIdleTimeout       longest silence in the middle of a body ({@code gateway.body.idle.timeout}); 408
 * @param connectionsPerAddress open connections from one client address ({@code gateway.max.connections.per.address});
 *                              a request on one more is answered 429 and the connection closed
 * @param ratePerAddress        requests a second from one client address, with a burst of as many
 *                              ({@code gateway.rate.per.address}, 0: no limit); 429
 * @param ratePerKey            requests a second with one set of credentials, with a burst of as many
 *                              ({@code gateway.rate.per.key}, 0: no limit); 429
 * @param bufferedBodyBytes     bodies with a {@code Content-Length} up to this are read whole at the edge before a
 *                              controller connection is taken ({@code gateway.buffer.body.bytes}); longer ones
 *                              stream under the same deadlines
 */
public record EdgeLimits(Duration headerTimeout, Duration keepAliveTimeout, Duration bodyTimeout,
                         Duration bodyIdleTimeout, int connectionsPerAddress, int ratePerAddress, int ratePerKey,
                         int bufferedBodyBytes) {

    public static EdgeLimits from(Settings s) {
        return new EdgeLimits(
                s.get(GatewaySettings.HEADER_TIMEOUT),
                s.get(GatewaySettings.KEEPALIVE_TIMEOUT),
                s.get(GatewaySettings.BODY_TIMEOUT),
                s.get(GatewaySettings.BODY_IDLE_TIMEOUT),
                s.get(GatewaySettings.MAX_CONNECTIONS_PER_ADDRESS),
                s.get(GatewaySettings.RATE_PER_ADDRESS),
                s.get(GatewaySettings.RATE_PER_KEY),
                s.get(GatewaySettings.BUFFER_BODY_BYTES));
    }

    /** A duration as the settings write it: {@code 10s}, {@code 500ms}. */
    public static String show(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
