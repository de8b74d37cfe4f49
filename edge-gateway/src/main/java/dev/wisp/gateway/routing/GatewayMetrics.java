package dev.wisp.gateway.routing;

import dev.wisp.gateway.defence.ConnectionGuard;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The gateway's Prometheus {@code /metrics}: responses by status, forwards per controller, routable controllers. */
public final class GatewayMetrics {
    private final Map<Integer, LongAdder> responses = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> forwarded = new ConcurrentHashMap<>();
    private final LongAdder retried = new LongAdder();
    private final LongAdder limited = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ControllerSet controllers;
    private final ConnectionGuard connections;

    public GatewayMetrics(ControllerSet controllers, ConnectionGuard connections) {
        this.controllers = controllers;
        this.connections = connections;
    }

    void limited() {
        limited.increment();
    }

    void inFlight(int delta) {
        inFlight.addAndGet(delta);
    }

    void response(int status) {
        responses.computeIfAbsent(status, k -> new LongAdder()).increment();
    }

    void forwarded(String controller) {
        forwarded.computeIfAbsent(controller, k -> new LongAdder()).increment();
    }

    void retried() {
        retried.increment();
    }

    public String render() {
        StringBuilder b = new StringBuilder();
        b.append("# HELP wisp_gateway_http_responses_total Responses by status.\n")
                .append("# TYPE wisp_gateway_http_responses_total counter\n");
        responses.forEach((s, n) -> b.append("wisp_gateway_http_responses_total{status=\"").append(s).append("\"} ")
                .append(n.sum()).append('\n'));
        b.append("# HELP wisp_gateway_forwarded_total Requests forwarded, by controller.\n")
                .append("# TYPE wisp_gateway_forwarded_total counter\n");
        forwarded.forEach((c, n) -> b.append("wisp_gateway_forwarded_total{controller=\"").append(c).append("\"} ")
                .append(n.sum()).append('\n'));
        single(b, "wisp_gateway_retries_total", "counter",
                "Requests sent to a second controller after a refused connection.", retried.sum());
        single(b, "wisp_gateway_routable_controllers", "gauge",
                "Controllers announced and answering health checks.", controllers.healthy().size());
        single(b, "wisp_gateway_rate_limited_total", "counter",
                "Requests answered 429 for the rate of their address or key.", limited.sum());
        single(b, "wisp_gateway_controller_requests_in_flight", "gauge",
                "Requests holding a controller connection.", inFlight.get());
        single(b, "wisp_gateway_open_connections", "gauge", "Client connections open.", connections.open());
        single(b, "wisp_gateway_header_timeouts_total", "counter",
                "Connections closed for not sending request headers in time.", connections.timedOut());
        single(b, "wisp_gateway_over_connection_cap_total", "counter",
                "Requests answered 429 for their address's connection cap.", connections.overCap());
        return b.toString();
    }

    private static void single(StringBuilder b, String name, String type, String help, long value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n')
                .append(name).append(' ').append(value).append('\n');
    }
}
