package dev.wisp.gateway.routing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The gateway's Prometheus {@code /metrics}: responses by status, forwards per controller, routable controllers. */
public final class GatewayMetrics {
    private final Map<Integer, LongAdder> responses = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> forwarded = new ConcurrentHashMap<>();
    private final LongAdder retried = new LongAdder();
    private final ControllerSet controllers;

    public GatewayMetrics(ControllerSet controllers) {
        this.controllers = controllers;
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
        b.append("# HELP wisp_gateway_retries_total Requests sent to a second controller after a refused connection.\n")
                .append("# TYPE wisp_gateway_retries_total counter\n")
                .append("wisp_gateway_retries_total ").append(retried.sum()).append('\n');
        b.append("# HELP wisp_gateway_routable_controllers Controllers announced and answering health checks.\n")
                .append("# TYPE wisp_gateway_routable_controllers gauge\n")
                .append("wisp_gateway_routable_controllers ").append(controllers.healthy().size()).append('\n');
        return b.toString();
    }
}
