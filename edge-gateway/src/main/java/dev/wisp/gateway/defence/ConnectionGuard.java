package dev.wisp.gateway.defence;

import dev.wisp.common.http.HttpErrors;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps idle and slow connections from holding the gateway: a connection must finish its first request's headers
 * within {@link EdgeLimits#headerTimeout()} and each next one's within {@link EdgeLimits#keepAliveTimeout()} of
 * the previous answer, or it is closed; one client address holds at most
 * {@link EdgeLimits#connectionsPerAddress()} connections, and a request on one more is answered 429 and its
 * connection closed. Install {@link #connected} as the server's connection handler and wrap its request handler
 * with {@link #guard}.
 */
public final class ConnectionGuard {
    /** How long a connection over its address's cap may take to send the request that is answered 429. */
    private static final Duration OVER_CAP_GRACE = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final EdgeLimits limits;
    private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();
    private final Map<HttpConnection, Watch> open = new ConcurrentHashMap<>();
    private final LongAdder timedOut = new LongAdder();
    private final LongAdder overCap = new LongAdder();

    public ConnectionGuard(Vertx vertx, EdgeLimits limits) {
        this.vertx = vertx;
        this.limits = limits;
    }

    /** The server's connection handler: counts the connection against its address and starts its header deadline. */
    public void connected(HttpConnection connection) {
        SocketAddress remote = connection.remoteAddress();
        String address = remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
        int count = perAddress.merge(address, 1, Integer::sum);
        Watch watch = new Watch(connection, count > limits.connectionsPerAddress());
        open.put(connection, watch);
        connection.closeHandler(v -> {
            watch.cancel();
            open.remove(connection);
            perAddress.computeIfPresent(address, (k, n) -> n <= 1 ? null : n - 1);
        });
        watch.arm(watch.overCap ? OVER_CAP_GRACE : limits.headerTimeout());
    }

    /** Wraps the request handler: stops the connection's header deadline, answers 429 over the cap. */
    public Handler<HttpServerRequest> guard(Handler<HttpServerRequest> next) {
        return request -> {
            Watch watch = open.get(request.connection());
            if (watch != null) {
                watch.cancel();
                request.response().endHandler(v -> watch.arm(limits.keepAliveTimeout()));
                if (watch.overCap) {
                    overCap.increment();
                    request.response().putHeader("Connection", "close").putHeader("Retry-After", "1");
                    HttpErrors.answer(request, 429, "Too many connections from your address: the limit is "
                            + limits.connectionsPerAddress() + " open connections"
                            + " (gateway.max.connections.per.address).", null);
                    return;
                }
            }
            next.handle(request);
        };
    }

    /** Open client connections. */
    public int open() {
        return open.size();
    }

    /** Connections closed for not sending a request's headers in time. */
    public long timedOut() {
        return timedOut.sum();
    }

    /** Requests answered 429 for arriving on a connection over its address's cap. */
    public long overCap() {
        return overCap.sum();
    }

    /** One connection's deadline for its next request's headers; used on that connection's event loop only. */
    private final class Watch {
        private final HttpConnection connection;
        private final boolean overCap;
        private long timer = -1;

        Watch(HttpConnection connection, boolean overCap) {
            this.connection = connection;
            this.overCap = overCap;
        }

        void arm(Duration within) {
            cancel();
            timer = vertx.setTimer(within.toMillis(), t -> {
                timer = -1;
                timedOut.increment();
                connection.close();
            });
        }

        void cancel() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }
    }
}
