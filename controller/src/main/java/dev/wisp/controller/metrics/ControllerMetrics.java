package dev.wisp.controller.metrics;

import io.vertx.ext.web.Router;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** The controller's Prometheus {@code /metrics}: responses by status, and gauges of its view of the cluster. */
public final class ControllerMetrics {
    private final Map<Integer, LongAdder> responses = new ConcurrentHashMap<>();
    private final IntSupplier healthyInvokers;
    private final IntSupplier liveControllers;
    private final IntSupplier waitingBlocking;
    private final Supplier<Map<String, Integer>> inFlightMb;

    public ControllerMetrics(IntSupplier healthyInvokers, IntSupplier liveControllers, IntSupplier waitingBlocking,
                             Supplier<Map<String, Integer>> inFlightMb) {
        this.healthyInvokers = healthyInvokers;
        this.liveControllers = liveControllers;
        this.waitingBlocking = waitingBlocking;
        this.inFlightMb = inFlightMb;
    }

    /** Counts every response and serves {@code /metrics}, ahead of the API's own routes. */
    public void install(Router router) {
        router.route().order(-2).handler(ctx -> {
            ctx.addEndHandler(v -> responses.computeIfAbsent(ctx.response().getStatusCode(), k -> new LongAdder())
                    .increment());
            ctx.next();
        });
        router.get("/metrics").order(-1).handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4").end(render()));
    }

    private String render() {
        StringBuilder b = new StringBuilder();
        b.append("# HELP wisp_controller_http_responses_total API responses by status.\n")
                .append("# TYPE wisp_controller_http_responses_total counter\n");
        responses.forEach((status, n) -> b.append("wisp_controller_http_responses_total{status=\"").append(status)
                .append("\"} ").append(n.sum()).append('\n'));
        gauge(b, "wisp_controller_healthy_invokers", "Invokers this controller places work on.", healthyInvokers.getAsInt());
        gauge(b, "wisp_controller_live_controllers", "Controllers sharing the invokers' capacity.", liveControllers.getAsInt());
        gauge(b, "wisp_controller_blocking_waiting", "Blocking invokes waiting for their completion.", waitingBlocking.getAsInt());
        b.append("# HELP wisp_controller_in_flight_mb Memory of this controller's activations in flight, by invoker.\n")
                .append("# TYPE wisp_controller_in_flight_mb gauge\n");
        inFlightMb.get().forEach((invoker, mb) -> b.append("wisp_controller_in_flight_mb{invoker=\"").append(invoker)
                .append("\"} ").append(mb).append('\n'));
        return b.toString();
    }

    private static void gauge(StringBuilder b, String name, String help, long v) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(v).append('\n');
    }
}
