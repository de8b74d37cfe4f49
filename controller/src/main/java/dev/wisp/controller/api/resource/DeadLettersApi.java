package dev.wisp.controller.api.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.Activation;
import dev.wisp.controller.store.ActivationStore;

/**
 * {@code GET /namespaces/{ns}/deadletters}: the activations the system gave up (non-blocking ones that failed in
 * the system on every attempt, and those the reaper recorded), newest first, with {@code limit}, {@code skip}
 * and {@code count}. Each entry names the activation, its action, the attempts, the reason and when.
 */
public final class DeadLettersApi extends ListResource<String> {
    public DeadLettersApi(ActivationStore activations) {
        super("deadletters", byNamespace(activations::countDeadLetters, activations::deadLetters,
                DeadLettersApi::entry));
    }

    private static ObjectNode entry(Activation a) {
        ObjectNode e = Json.object()
                .put("activationId", a.activationId())
                .put("namespace", a.namespace())
                .put("name", a.name());
        a.annotation("path").ifPresent(v -> e.set("path", v));
        e.put("attempts", a.annotation("attempts").map(v -> v.asInt()).orElse(1));
        e.put("reason", a.response().result() == null ? a.response().status()
                : a.response().result().path("error").asText(a.response().status()));
        e.put("reaped", a.annotation("reaped").map(v -> v.asBoolean()).orElse(false));
        e.put("start", a.start());
        e.put("end", a.end());
        return e;
    }
}
