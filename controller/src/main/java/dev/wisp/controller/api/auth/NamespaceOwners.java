package dev.wisp.controller.api.auth;

import dev.wisp.common.entity.Identity;
import dev.wisp.common.entity.NamespaceLimits;
import dev.wisp.common.entity.Subject;
import dev.wisp.controller.store.SubjectStore;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who owns a namespace, for requests that name a namespace without credentials (web actions): the owner's
 * identity runs the activation and the owner's throttles apply. Cached for up to 10 s like the
 * {@link Authenticator}'s subjects, and forgotten when any subject's credentials change.
 */
public final class NamespaceOwners {
    private static final long CACHE_MILLIS = 10_000;
    private final SubjectStore subjects;
    private final NamespaceLimits defaults;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Optional<Authenticator.Caller> owner, long at) {
    }

    public NamespaceOwners(SubjectStore subjects, NamespaceLimits defaults) {
        this.subjects = subjects;
        this.defaults = defaults;
    }

    /** The owner of a namespace as a caller of it; empty when no unblocked subject owns it. */
    public Future<Optional<Authenticator.Caller>> owner(String namespace) {
        Cached c = cache.get(namespace);
        long now = System.currentTimeMillis();
        if (c != null && now - c.at() < CACHE_MILLIS) {
            return Future.succeededFuture(c.owner());
        }
        return subjects.findByNamespace(namespace).map(s -> s.filter(subject -> !subject.blocked())
                .flatMap(subject -> callerOf(subject, namespace))).onSuccess(owner -> {
                    if (cache.size() > 10_000) {
                        cache.clear();
                    }
                    cache.put(namespace, new Cached(owner, now));
                });
    }

    /** Forgets every owner, e.g. after some subject's key was rotated or the subject deleted. */
    public void clear() {
        cache.clear();
    }

    private Optional<Authenticator.Caller> callerOf(Subject subject, String namespace) {
        return subject.namespaces().stream().filter(ns -> ns.name().equals(namespace)).findFirst()
                .map(ns -> new Authenticator.Caller(
                        new Identity(subject.subject(), namespace, ns.uuid()),
                        subject.limitsOrNone().orElse(defaults)));
    }
}
