package dev.wisp.controller.api.resource;

import dev.wisp.common.codec.Json;
import dev.wisp.common.config.Limits;
import dev.wisp.common.entity.NamespaceLimits;
import dev.wisp.controller.api.request.ApiContext;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /namespaces/{ns}/limits}: the namespace's throttles and the system's action limits. */
public final class LimitsApi {
    private final Limits limits;

    public LimitsApi(Limits limits) {
        this.limits = limits;
    }

    public void get(RoutingContext ctx) {
        ApiContext.namespace(ctx);
        NamespaceLimits ns = ApiContext.limits(ctx);
        ApiContext.json(ctx, 200, Json.object()
                .put("invocationsPerMinute", ns.invocationsPerMinute())
                .put("concurrentInvocations", ns.concurrentInvocations())
                .put("firesPerMinute", ns.firesPerMinute())
                .put("minActionMemory", limits.memoryMinMb())
                .put("maxActionMemory", limits.memoryMaxMb())
                .put("minActionTimeout", limits.timeoutMinMs())
                .put("maxActionTimeout", limits.timeoutMaxMs())
                .put("minActionLogs", 0)
                .put("maxActionLogs", limits.logsMaxMb())
                .put("minActionConcurrency", 1)
                .put("maxActionConcurrency", limits.concurrencyMax())
                .put("maxParameterSize", limits.payloadBytes() + " B")
                .put("maxPayloadSize", limits.payloadBytes())
                .put("maxResultSize", limits.resultBytes())
                .put("maxCodeSize", limits.codeBytes()));
    }
}
