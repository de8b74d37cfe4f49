package dev.wisp.controller.loadbalancer;

import dev.wisp.common.codec.Json;
import dev.wisp.common.error.WispException;
import dev.wisp.common.kafka.KafkaSender;
import dev.wisp.common.kafka.Topics;
import dev.wisp.common.message.ActivationMessage;
import dev.wisp.common.zookeeper.MemberInfo;
import io.vertx.core.Future;
import java.util.List;
import java.util.Objects;

/**
 * Chooses an invoker for an activation and publishes it to that invoker's topic. The home invoker of an action
 * is fixed by a hash of its path, so its warm containers get reused.
 */
public final class LoadBalancer {
    private final InvokerPool invokers;
    private final KafkaSender sender;

    public LoadBalancer(InvokerPool invokers, KafkaSender sender) {
        this.invokers = Objects.requireNonNull(invokers, "invokers");
        this.sender = Objects.requireNonNull(sender, "sender");
    }

    /**
     * Publishes the activation; completes once Kafka has it on every in-sync replica.
     *
     * @return the chosen invoker's id; fails with UNAVAILABLE when no invoker is healthy or Kafka did not confirm
     */
    public Future<String> publish(ActivationMessage msg) {
        List<MemberInfo> healthy = invokers.healthy();
        if (healthy.isEmpty()) {
            return Future.failedFuture(WispException.unavailable("No invokers available."));
        }
        MemberInfo chosen = healthy.get(Math.floorMod(msg.action().docId().hashCode(), healthy.size()));
        String topic = Topics.invoker(chosen.id());
        return sender.send(topic, msg.activationId().value(), Json.encode(msg)).map(v -> chosen.id());
    }
}
