package dev.wisp.controller.api.auth;

import dev.wisp.common.auth.ActivationKeys;
import dev.wisp.common.auth.BasicCredentials;
import dev.wisp.common.entity.Identity;
import dev.wisp.common.entity.Keys;
import dev.wisp.common.entity.NamespaceLimits;
import dev.wisp.common.entity.Subject;
import dev.wisp.common.error.WispException;
import dev.wisp.controller.api.request.ApiContext;
import dev.wisp.controller.store.SubjectStore;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks HTTP Basic {@code uuid:key} credentials against the subjects in the store. Keys are stored as SHA-256
 * and compared in constant time. An activation-scoped key ({@link ActivationKeys}, what an action gets as
 * {@code __OW_API_KEY}) stands for its namespace until it expires; the namespace's subject must still exist and
 * not be blocked. Subjects are cached for up to 10 s so a hot path costs no store read; the
 * admin command announces revoked keys on the invalidation topic, which evicts them at once.
 */
public final class Authenticator {
    private static final long CACHE_MILLIS = 10_000;
    private final SubjectStore subjects;
    private final NamespaceLimits defaults;
    private final ActivationKeys activationKeys;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Optional<Subject> subject, long at) {
    }

    public Authenticator(SubjectStore subjects, NamespaceLimits defaults, ActivationKeys activationKeys) {
        this.subjects = subjects;
        this.defaults = defaults;
        this.activationKeys = activationKeys;
    }

    /** An authenticated caller and the throttles of its namespace (the subject's overrides over the defaults). */
    public record Caller(Identity identity, NamespaceLimits limits) {
    }

    public void handle(RoutingContext ctx) {
        authenticate(ctx.request().getHeader("Authorization")).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
            } else if (ar.result().isEmpty()) {
                ctx.fail(WispException.unauthorized());
            } else {
                ctx.put(ApiContext.IDENTITY, ar.result().get().identity());
                ctx.put(ApiContext.LIMITS, ar.result().get().limits());
                ctx.next();
            }
        });
    }

    /** The caller an {@code Authorization} header names; empty when it is absent, malformed or not valid. */
    public Future<Optional<Caller>> authenticate(String header) {
        Optional<BasicCredentials> parsed = BasicCredentials.parse(header);
        if (parsed.isEmpty()) {
            return Future.succeededFuture(Optional.empty());
        }
        BasicCredentials credentials = parsed.get();
        return lookup(credentials.uuid()).map(subject -> subject
                .flatMap(s -> match(s, credentials.uuid(), credentials.key())
                        .map(identity -> new Caller(identity, s.limitsOrNone().orElse(defaults)))));
    }

    private Future<Optional<Subject>> lookup(String uuid) {
        Cached c = cache.get(uuid);
        long now = System.currentTimeMillis();
        if (c != null && now - c.at() < CACHE_MILLIS) {
            return Future.succeededFuture(c.subject());
        }
        return subjects.findByUuid(uuid).onSuccess(s -> {
            if (cache.size() > 10_000) {
                cache.clear();
            }
            cache.put(uuid, new Cached(s, now));
        });
    }

    /** Forgets the cached subject of a uuid, e.g. after its key was rotated or its subject deleted. */
    public void evict(String uuid) {
        cache.remove(uuid);
    }

    private Optional<Identity> match(Subject subject, String uuid, String key) {
        if (subject.blocked()) {
            return Optional.empty();
        }
        if (ActivationKeys.isActivationKey(key)) {
            long now = System.currentTimeMillis();
            return subject.namespaces().stream()
                    .filter(ns -> ns.uuid().equals(uuid)
                            && activationKeys.verify(uuid, ns.name(), key, now).isPresent())
                    .findFirst()
                    .map(ns -> new Identity(subject.subject(), ns.name(), uuid));
        }
        byte[] offered = Keys.hash(key).getBytes(StandardCharsets.US_ASCII);
        for (Subject.NamespaceKey ns : subject.namespaces()) {
            if (ns.uuid().equals(uuid)
                    && MessageDigest.isEqual(offered, ns.keyHash().getBytes(StandardCharsets.US_ASCII))) {
                return Optional.of(new Identity(subject.subject(), ns.name(), uuid));
            }
        }
        return Optional.empty();
    }
}
