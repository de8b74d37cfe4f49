package dev.wisp.gateway.routing;

import dev.wisp.common.zookeeper.MemberInfo;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings every announced controller's {@code /ping} each interval; a controller that misses three pings in a row
 * is marked down until it answers again, and one that refuses a request's connection at once. A killed
 * controller refuses connections, so it stops getting traffic with the first request or ping that finds it gone
 * (within one 250 ms interval); a hung one after three missed pings, under a second. Runs on the gateway's
 * event loop.
 */
public final class HealthChecker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

    private final Vertx vertx;
    private final ControllerSet controllers;
    private final HttpClient client;
    private final Duration interval;
    private final Map<String, Integer> misses = new ConcurrentHashMap<>();
    private long timer = -1;

    public HealthChecker(Vertx vertx, ControllerSet controllers, Duration interval) {
        this.vertx = vertx;
        this.controllers = controllers;
        this.interval = interval;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                .setConnectTimeout((int) interval.toMillis() * 2).setIdleTimeout(30));
    }

    public void start() {
        timer = vertx.setPeriodic(interval.toMillis(), t -> controllers.announced().forEach(this::ping));
    }

    private void ping(MemberInfo c) {
        client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(c.host()).setPort(c.port())
                        .setURI("/ping").setIdleTimeout(interval.toMillis() * 2))
                .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode())))
                .onComplete(ar -> {
                    if (ar.succeeded() && ar.result() == 200) {
                        misses.remove(c.id());
                        if (controllers.isDown(c.id())) {
                            LOG.info("controller {} answers again", c.id());
                            controllers.markUp(c.id());
                        }
                    } else if (ar.cause() instanceof java.net.ConnectException) {
                        refused(c.id());
                    } else {
                        failed(c.id());
                    }
                });
    }

    /** Counts a failed ping or request; three in a row mark the controller down. */
    public void failed(String id) {
        int n = misses.merge(id, 1, Integer::sum);
        if (n >= 3 && !controllers.isDown(id)) {
            LOG.warn("controller {} stopped answering; routing around it", id);
            controllers.markDown(id);
        }
    }

    /** A refused connection: the process is gone, so the controller is marked down at once. */
    public void refused(String id) {
        misses.merge(id, 3, Integer::sum);
        if (!controllers.isDown(id)) {
            LOG.warn("controller {} refuses connections; routing around it", id);
            controllers.markDown(id);
        }
    }

    @Override
    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        client.close();
    }
}
