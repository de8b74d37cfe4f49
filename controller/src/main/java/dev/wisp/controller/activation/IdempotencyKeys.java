package dev.wisp.controller.activation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.Keys;
import dev.wisp.common.error.ErrorKind;
import dev.wisp.common.error.WispException;
import dev.wisp.common.message.ActivationId;
import dev.wisp.controller.store.IdempotencyStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * {@code Idempotency-Key}s: the first request with a key in a namespace claims it durably (in the store, before
 * anything reaches Kafka) together with its activation id and a fingerprint of the request; a later request with
 * the same key gets the same activation id, and 422 when its fingerprint differs. Keys expire {@code ttl} after
 * their first use.
 *
 * <p>A claim whose publish never got confirmed (its controller died between the store and Kafka, or Kafka's
 * answer timed out) is taken over by a request with the same key once {@code publishBound} has passed since the
 * claim: that request publishes the same activation id again (invokers look for an existing record before
 * running an activation that arrived long ago). A request that finds a younger unconfirmed claim waits for it.
 * All methods are called on a Vert.x context and complete there.
 */
public final class IdempotencyKeys {
    /** The longest key accepted, in characters. */
    public static final int MAX_KEY_LENGTH = 256;
    public static final String HEADER = "Idempotency-Key";
    private static final long POLL_MILLIS = 100;

    private final Vertx vertx;
    private final IdempotencyStore store;
    private final Duration ttl;
    private final Duration publishBound;
    private final LongSupplier clock;

    /**
     * The outcome of a claim.
     *
     * @param activationId the activation the key stands for
     * @param acceptedAt   epoch ms of the key's first use: publish with it as the message's {@code arrivedAt}
     * @param owner        true when the caller must publish the activation (then call {@link #published} or
     *                     {@link #release}); false when it was published already
     */
    public record Claim(ActivationId activationId, long acceptedAt, boolean owner, IdempotencyStore.Entry entry) {
    }

    public IdempotencyKeys(Vertx vertx, IdempotencyStore store, Duration ttl, Duration publishBound,
                           LongSupplier clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.store = Objects.requireNonNull(store, "store");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.publishBound = Objects.requireNonNull(publishBound, "publishBound");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Duration ttl() {
        return ttl;
    }

    /**
     * Checks a key from a request header; null stays null (no key).
     *
     * @throws WispException BAD_REQUEST when it is empty or longer than {@link #MAX_KEY_LENGTH}
     */
    public static String validate(String key) {
        if (key == null) {
            return null;
        }
        if (key.isBlank()) {
            throw WispException.badRequest("The " + HEADER + " header must not be empty.");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw WispException.badRequest("The " + HEADER + " header is " + key.length()
                    + " characters long, which exceeds the limit of " + MAX_KEY_LENGTH + " characters.");
        }
        return key;
    }

    /** The fingerprint of a request: a hash of its target (e.g. an action's full path) and its parameters. */
    public static String fingerprint(String target, JsonNode params) {
        return Keys.hash(target + "\n" + Json.encodeToString(canonical(params)));
    }

    /**
     * Claims {@code key} in {@code namespace} for a request with this fingerprint.
     *
     * @return the claim; fails with UNPROCESSABLE (422) when the key was used with another fingerprint, or with
     *         the store's error
     */
    public Future<Claim> claim(String namespace, String key, String fingerprint) {
        Promise<Claim> promise = Promise.promise();
        attempt(namespace, Keys.hash(key), shorten(key), fingerprint, promise);
        return promise.future();
    }

    /** Records that Kafka confirmed the owner's publish; a failure is logged by the caller and harmless. */
    public Future<Void> published(Claim claim) {
        IdempotencyStore.Entry e = claim.entry();
        return store.replace(e, e.withLease(e.leaseAt(), true)).mapEmpty();
    }

    /** Gives the key up after the owner's request was certainly not published (refused, throttled). */
    public Future<Void> release(Claim claim) {
        return store.delete(claim.entry());
    }

    /**
     * Deletes expired keys from the store, a batch at a time; an expired key is treated as absent anyway, so
     * this only bounds the store's size. Safe on several controllers at once.
     *
     * @return how many were deleted
     */
    public Future<Integer> purgeExpired() {
        return store.deleteAcceptedBefore(clock.getAsLong() - ttl.toMillis(), 1_000);
    }

    private void attempt(String namespace, String keyHash, String shownKey, String fingerprint, Promise<Claim> promise) {
        long now = clock.getAsLong();
        IdempotencyStore.Entry proposed = new IdempotencyStore.Entry(namespace + ":" + keyHash, namespace,
                ActivationId.generate().value(), fingerprint, now, now, false, null);
        Runnable again = () -> vertx.setTimer(POLL_MILLIS, t -> attempt(namespace, keyHash, shownKey, fingerprint,
                promise));
        store.createOrGet(proposed).onFailure(promise::fail).onSuccess(found -> {
            if (found.isEmpty()) {
                again.run();
                return;
            }
            IdempotencyStore.Entry e = found.get();
            if (e.activationId().equals(proposed.activationId())) {
                promise.complete(new Claim(new ActivationId(e.activationId()), e.acceptedAt(), true, e));
            } else if (now - e.acceptedAt() > ttl.toMillis()) {
                takeOver(e, proposed, promise, again);
            } else if (!e.fingerprint().equals(fingerprint)) {
                promise.fail(new WispException(ErrorKind.UNPROCESSABLE, "The " + HEADER + " '" + shownKey
                        + "' was already used in this namespace for a different request (another action or other"
                        + " parameters); use a new key."));
            } else if (e.published()) {
                promise.complete(new Claim(new ActivationId(e.activationId()), e.acceptedAt(), false, e));
            } else if (now - e.leaseAt() > publishBound.toMillis()) {
                takeOver(e, e.withLease(now, false), promise, again);
            } else {
                again.run(); // its first request is still publishing
            }
        });
    }

    private void takeOver(IdempotencyStore.Entry current, IdempotencyStore.Entry next, Promise<Claim> promise,
                          Runnable again) {
        store.replace(current, next).onFailure(promise::fail).onSuccess(won -> {
            if (won.isEmpty()) {
                again.run(); // another request took it over first
                return;
            }
            IdempotencyStore.Entry e = won.get();
            promise.complete(new Claim(new ActivationId(e.activationId()), e.acceptedAt(), true, e));
        });
    }

    private static JsonNode canonical(JsonNode node) {
        if (node == null) {
            return Json.object();
        }
        if (node.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                sorted.put(f, canonical(node.get(f)));
            }
            ObjectNode out = Json.object();
            sorted.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            var out = Json.mapper().createArrayNode();
            node.forEach(n -> out.add(canonical(n)));
            return out;
        }
        return node;
    }

    private static String shorten(String key) {
        return key.length() <= 64 ? key : key.substring(0, 61) + "...";
    }
}
