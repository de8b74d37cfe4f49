package dev.wisp.invoker.health;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The invoker's small HTTP endpoint for operators: {@code /ping} and Prometheus {@code /metrics}.
 */
public final class AdminServer {
    private final Vertx vertx;
    private final InvokerMetrics metrics;
    private final Supplier<Gauges> gauges;
    private HttpServer server;

    /** Point-in-time values read on the invoker's context. */
    public record Gauges(int memoryMb, int usedMb, int containers, int stemCells, int paused, int queued,
                         int inFlight, boolean healthy, boolean draining) {
    }

    public AdminServer(Vertx vertx, InvokerMetrics metrics, Supplier<Gauges> gauges) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.gauges = gauges;
    }

    public Future<Integer> listen(String host, int port) {
        return vertx.createHttpServer().requestHandler(req -> {
            switch (req.path()) {
                case "/ping" -> req.response().end("pong");
                case "/metrics" -> req.response().putHeader("Content-Type", "text/plain; version=0.0.4")
                        .end(render(gauges.get()));
                default -> req.response().setStatusCode(404).end();
            }
        }).listen(port, host).map(s -> {
            server = s;
            return s.actualPort();
        });
    }

    private String render(Gauges g) {
        StringBuilder b = new StringBuilder();
        gauge(b, "wisp_invoker_memory_mb", "User memory for action containers.", g.memoryMb());
        gauge(b, "wisp_invoker_memory_used_mb", "Memory held by containers.", g.usedMb());
        gauge(b, "wisp_invoker_containers", "Containers in the pool, stem cells included.", g.containers());
        gauge(b, "wisp_invoker_stem_cells", "Prewarmed containers ready.", g.stemCells());
        gauge(b, "wisp_invoker_paused_containers", "Idle containers paused.", g.paused());
        gauge(b, "wisp_invoker_queued", "Activations waiting for a container.", g.queued());
        gauge(b, "wisp_invoker_in_flight", "Activations taken from Kafka and not finished.", g.inFlight());
        gauge(b, "wisp_invoker_healthy", "1 when the Docker and Kafka self-checks pass.", g.healthy() ? 1 : 0);
        gauge(b, "wisp_invoker_draining", "1 while the invoker drains.", g.draining() ? 1 : 0);
        b.append("# HELP wisp_invoker_activations_total Finished activations by status.\n");
        b.append("# TYPE wisp_invoker_activations_total counter\n");
        metrics.activations().forEach((status, n) -> b.append("wisp_invoker_activations_total{status=\"")
                .append(status.replace(' ', '_')).append("\"} ").append(n.sum()).append('\n'));
        counter(b, "wisp_invoker_cold_starts_total", "Activations that initialized a container.", metrics.coldStarts());
        counter(b, "wisp_invoker_retries_total", "Non-blocking activations retried after a system error.", metrics.retries());
        counter(b, "wisp_invoker_dead_letters_total", "Activations given up after their retries.", metrics.deadLetters());
        counter(b, "wisp_invoker_completions_total", "Completions sent to the controllers.", metrics.completions());
        counter(b, "wisp_invoker_completion_records_total",
                "Kafka records that carried them (several completions share one under load).",
                metrics.completionRecords());
        counter(b, "wisp_invoker_records_trimmed_total", "Records the store refused, stored trimmed.",
                metrics.trimmed());
        return b.toString();
    }

    private static void gauge(StringBuilder b, String name, String help, double v) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n")
                .append(name).append(' ').append(String.format(Locale.ROOT, "%s", (long) v)).append('\n');
    }

    private static void counter(StringBuilder b, String name, String help, long v) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n")
                .append(name).append(' ').append(v).append('\n');
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
