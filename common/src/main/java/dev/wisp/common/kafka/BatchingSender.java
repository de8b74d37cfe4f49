package dev.wisp.common.kafka;

import dev.wisp.common.vertx.Contexts;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * Sends JSON objects to a topic one at a time while the topic is quiet, and gathers them while a send to it is
 * under way: when that send ends, those that came meanwhile leave together as one record, a JSON array. Nobody
 * waits for a batch to fill (a lone message leaves at once), and the busier the topic, the more each record
 * carries, so that under load the producer, the broker and the consumer pay per record for several messages.
 * Each message's Future completes, on the context it was sent from, with the outcome of the record that carried
 * it. A batch stays under {@code maxBatchBytes}; a larger message leaves alone.
 */
public final class BatchingSender {
    /** What sends one record: {@link KafkaSender#send}. */
    @FunctionalInterface
    public interface Publisher {
        Future<Void> send(String topic, String key, byte[] value);
    }

    private final Publisher publisher;
    private final int maxBatchBytes;
    private final IntConsumer sentRecord;
    private final Map<String, Topic> topics = new HashMap<>();

    /** One message waiting, and whom to tell. */
    private record Pending(String key, byte[] json, Context context, Promise<Void> promise) {
        void settle(Future<Void> outcome) {
            Contexts.settleOn(context, outcome, promise);
        }
    }

    /** A topic's state, under the sender's lock. */
    private static final class Topic {
        boolean sending;
        List<Pending> waiting = new ArrayList<>();
    }

    /** @param sentRecord told of each record confirmed, with the number of messages it carried (for metrics) */
    public BatchingSender(Publisher publisher, int maxBatchBytes, IntConsumer sentRecord) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.maxBatchBytes = maxBatchBytes;
        this.sentRecord = Objects.requireNonNull(sentRecord, "sentRecord");
    }

    /**
     * Sends {@code json} (one JSON object) to {@code topic}, alone or in an array with others.
     *
     * @param key the record's key when the message leaves alone, or first in its batch
     */
    public Future<Void> send(String topic, String key, byte[] json) {
        Pending p = new Pending(key, json, Vertx.currentContext(), Promise.promise());
        boolean now;
        synchronized (this) {
            Topic t = topics.computeIfAbsent(topic, k -> new Topic());
            now = !t.sending;
            if (now) {
                t.sending = true;
            } else {
                t.waiting.add(p);
            }
        }
        if (now) {
            dispatch(topic, List.of(p));
        }
        return p.promise().future();
    }

    /** Sends these (taken from the topic's queue, or one just sent) as records; then whatever gathered meanwhile. */
    private void dispatch(String topic, List<Pending> taken) {
        List<Future<Void>> records = new ArrayList<>();
        for (List<Pending> batch : split(taken)) {
            Future<Void> sent;
            try {
                sent = publisher.send(topic, batch.getFirst().key(), batch.size() == 1 ? batch.getFirst().json()
                        : array(batch));
            } catch (RuntimeException e) {
                sent = Future.failedFuture(e);
            }
            int n = batch.size();
            sent.onSuccess(v -> sentRecord.accept(n));
            for (Pending p : batch) {
                p.settle(sent);
            }
            records.add(sent);
        }
        Future.join(records).onComplete(done -> {
            List<Pending> next;
            synchronized (this) {
                Topic t = topics.get(topic);
                next = t.waiting;
                if (next.isEmpty()) {
                    t.sending = false;
                    topics.remove(topic);
                    return;
                }
                t.waiting = new ArrayList<>();
            }
            dispatch(topic, next);
        });
    }

    /** The messages in batches of at most {@code maxBatchBytes} each (a larger message alone), in order. */
    private List<List<Pending>> split(List<Pending> all) {
        List<List<Pending>> batches = new ArrayList<>();
        List<Pending> current = new ArrayList<>();
        long bytes = 1; // the brackets, less the comma the first message does not need
        for (Pending p : all) {
            if (!current.isEmpty() && bytes + p.json().length + 1 > maxBatchBytes) {
                batches.add(current);
                current = new ArrayList<>();
                bytes = 1;
            }
            current.add(p);
            bytes += p.json().length + 1;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    /** The messages as one JSON array. */
    static byte[] array(List<Pending> batch) {
        int length = 1 + batch.size();
        for (Pending p : batch) {
            length += p.json().length;
        }
        byte[] out = new byte[length];
        int at = 0;
        out[at++] = '[';
        for (Pending p : batch) {
            if (at > 1) {
                out[at++] = ',';
            }
            System.arraycopy(p.json(), 0, out, at, p.json().length);
            at += p.json().length;
        }
        out[at] = ']';
        return out;
    }
}
