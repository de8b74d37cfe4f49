package dev.wisp.invoker.docker;

import dev.wisp.common.entity.Kinds;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Tells Wisp's own runtime images by their image id, whatever name, tag or digest an action writes for them
 * ({@code wisp/action-nodejs}, {@code wisp/action-nodejs:latest}, {@code sha256:...}): they always run with a
 * read-only root, a tmpfs and an authenticated runtime channel. Ids are looked up in the engine and kept a few
 * seconds, so that a rebuilt runtime image is recognised soon after. Confined to the invoker's context.
 */
public final class WispImages {
    private static final long KEEP_MILLIS = 10_000;

    private final DockerEngine docker;
    private final LongSupplier clock;
    private final Map<String, Cached> byName = new HashMap<>();
    private Set<String> wispIds;
    private long wispIdsAt;

    private record Cached(Optional<String> id, long at) {
    }

    public WispImages(DockerEngine docker, LongSupplier clock) {
        this.docker = docker;
        this.clock = clock;
    }

    /** Whether {@code image} is one of Wisp's runtimes; a name the engine does not know is not. */
    public Future<Boolean> isWispRuntime(String image) {
        if (Kinds.isWispImage(image)) {
            return Future.succeededFuture(true);
        }
        return wispIds().compose(ids -> id(image).map(id -> id.isPresent() && ids.contains(id.get())));
    }

    private Future<Optional<String>> id(String image) {
        long now = clock.getAsLong();
        Cached c = byName.get(image);
        if (c != null && now - c.at() < KEEP_MILLIS) {
            return Future.succeededFuture(c.id());
        }
        return docker.imageId(image).onSuccess(id -> {
            if (byName.size() > 1_000) {
                byName.clear();
            }
            byName.put(image, new Cached(id, now));
        });
    }

    private Future<Set<String>> wispIds() {
        long now = clock.getAsLong();
        if (wispIds != null && now - wispIdsAt < KEEP_MILLIS) {
            return Future.succeededFuture(wispIds);
        }
        Future<Set<String>> all = Future.succeededFuture(new HashSet<>());
        for (String image : Kinds.images()) {
            all = all.compose(ids -> docker.imageId(image).map(id -> {
                id.ifPresent(ids::add);
                return ids;
            }));
        }
        return all.onSuccess(ids -> {
            wispIds = Set.copyOf(ids);
            wispIdsAt = now;
        });
    }
}
