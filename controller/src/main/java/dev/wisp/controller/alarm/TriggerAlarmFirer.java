package dev.wisp.controller.alarm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.Activation;
import dev.wisp.common.entity.ActivationResponse;
import dev.wisp.common.entity.Identity;
import dev.wisp.common.entity.KeyValue;
import dev.wisp.common.error.ErrorKind;
import dev.wisp.common.error.WispException;
import dev.wisp.common.message.ActivationId;
import dev.wisp.common.message.TransactionId;
import dev.wisp.controller.store.ActivationStore;
import dev.wisp.controller.trigger.TriggerFires;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires alarm ticks through {@link TriggerFires} (durable in Kafka, no fire throttle), and stores a run of ticks
 * that a catch-up skipped as an activation record of the trigger with an error naming the ticks.
 */
public final class TriggerAlarmFirer implements AlarmFirer {
    private static final Logger LOG = LoggerFactory.getLogger(TriggerAlarmFirer.class);
    private static final long WAIT_S = 30;
    private final Context context;
    private final TriggerFires fires;
    private final ActivationStore records;

    public TriggerAlarmFirer(Vertx vertx, TriggerFires fires, ActivationStore records) {
        this.context = vertx.getOrCreateContext();
        this.fires = fires;
        this.records = records;
    }

    @Override
    public void fire(AlarmTrigger alarm, long tickMillis, ActivationId activationId) throws Exception {
        String ns = alarm.path().namespace();
        ObjectNode payload = alarm.payload().isObject() ? ((ObjectNode) alarm.payload()).deepCopy() : Json.object();
        try {
            await(() -> fires.fire(TransactionId.generate(), new Identity(ns, ns, ""), alarm.path(), payload,
                    activationId));
        } catch (WispException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
            LOG.info("alarm {}: tick {} not fired: the trigger was deleted", alarm.path(), Instant.ofEpochMilli(tickMillis));
        }
    }

    @Override
    public void reportSkipped(AlarmTrigger alarm, long fromTick, long toTick, long count) throws Exception {
        long now = System.currentTimeMillis();
        String ns = alarm.path().namespace();
        String message = count + " alarm ticks from " + Instant.ofEpochMilli(fromTick) + " to "
                + Instant.ofEpochMilli(toTick) + " were not fired: the catch-up after no controller led the alarm"
                + " schedule exceeded the cap of " + AlarmScheduler.CATCH_UP_CAP + " ticks";
        // a trigger's record, so no end and no duration
        Activation record = new Activation(ns, alarm.path().name(), ns, TickIds.skipped(alarm.path(), fromTick).value(),
                "0.0.1", false, now, null, null,
                ActivationResponse.applicationError(Json.object().put("error", message)), List.of(message),
                List.of(new KeyValue("path", Json.toTree(alarm.path().docId())),
                        new KeyValue("skippedTicks", Json.object().put("from", fromTick).put("to", toTick)
                                .put("count", count))), null);
        await(() -> records.putIfAbsent(record));
    }

    private <T> T await(Supplier<Future<T>> call) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        context.runOnContext(v -> call.get().onComplete(ar -> {
            if (ar.succeeded()) {
                done.complete(ar.result());
            } else {
                done.completeExceptionally(ar.cause());
            }
        }));
        try {
            return done.get(WAIT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
