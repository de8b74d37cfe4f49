package dev.wisp.controller.api.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Exec;
import dev.wisp.common.entity.Identity;
import dev.wisp.common.entity.SemVer;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.entity.WhiskPackage;
import dev.wisp.common.error.WispException;
import dev.wisp.controller.cache.EntityCache;
import dev.wisp.controller.entity.ActionResolver;
import dev.wisp.controller.store.EntityStore;
import dev.wisp.controller.store.PackageStore;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one walk behind both writes, over entities held in maps: cycles of every shape, the limits, the reads. */
class SequenceChecksTest {
    private static final Identity GUEST = new Identity("guest", "guest", "u1");
    private static final Identity BOB = new Identity("bob", "bob", "u2");
    private final Map<String, EntityStore.Stored> actions = new HashMap<>();
    private final Map<String, PackageStore.Stored> packages = new HashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final ActionResolver resolver = new ActionResolver(
            new EntityCache<>(p -> {
                reads.incrementAndGet();
                return Future.succeededFuture(Optional.ofNullable(actions.get(p.docId())));
            }, Duration.ZERO, 1000, System::currentTimeMillis), // no hits: every resolution is a read
            new EntityCache<>(p -> Future.succeededFuture(Optional.ofNullable(packages.get(p.docId()))),
                    Duration.ZERO, 1000, System::currentTimeMillis));
    private final SequenceChecks checks = new SequenceChecks(resolver, this::page);

    /** A package's actions newest first, a page at a time, as the store lists them. */
    private Future<List<WhiskAction>> page(EntityPath pkg, int skip, int limit) {
        List<WhiskAction> in = new ArrayList<>();
        actions.forEach((id, s) -> {
            if (s.action().namespace().equals(pkg.docId())) {
                in.add(s.action().withoutCode());
            }
        });
        in.sort((a, b) -> a.name().compareTo(b.name()));
        return Future.succeededFuture(in.subList(Math.min(skip, in.size()), Math.min(skip + limit, in.size())));
    }

    private void pkg(String ns, String name, boolean publish) {
        packages.put(ns + "/" + name, new PackageStore.Stored(new WhiskPackage(ns, name, SemVer.INITIAL, publish,
                null, null, List.of(), 0), "1-a"));
    }

    private void binding(String ns, String name, String targetNs, String target) {
        binding(ns, name, targetNs, target, false);
    }

    private void binding(String ns, String name, String targetNs, String target, boolean publish) {
        packages.put(ns + "/" + name, new PackageStore.Stored(new WhiskPackage(ns, name, SemVer.INITIAL, publish,
                new WhiskPackage.Binding(targetNs, target), null, List.of(), 0), "1-a"));
    }

    /** Stores an action at {@code /ns/name} or {@code /ns/pkg/name}. */
    private void plain(String path) {
        store(path, new Exec("nodejs:default", "x", null, null, null, null));
    }

    private void sequence(String path, String... components) {
        store(path, new Exec("sequence", null, null, null, null, List.of(components)));
    }

    private void store(String path, Exec exec) {
        EntityPath p = SequenceChecks.path(path);
        actions.put(p.docId(), new EntityStore.Stored(new WhiskAction(p.parent(), p.name(), SemVer.INITIAL, false,
                exec, null, null, null, 0), "1-b"));
    }

    private static WhiskAction seq(String path, String... components) {
        EntityPath p = SequenceChecks.path(path);
        return new WhiskAction(p.parent(), p.name(), SemVer.INITIAL, false,
                new Exec("sequence", null, null, null, null, List.of(components)), null, null, null, 0);
    }

    /** The message of the refusal of writing this sequence, or null when it may be written. */
    private String write(Identity caller, String path, String... components) {
        Future<WhiskAction> f = checks.check(caller, SequenceChecks.path(path), seq(path, components));
        return refusal(f.mapEmpty());
    }

    private String bind(Identity caller, String binding, String target) {
        return refusal(checks.checkBinding(caller, SequenceChecks.path(binding), SequenceChecks.path(target)));
    }

    private static String refusal(Future<Void> f) {
        assertTrue(f.isComplete(), "the fakes answer at once");
        if (f.succeeded()) {
            return null;
        }
        WispException e = (WispException) f.cause();
        assertEquals(400, e.status(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aSequenceContainingItselfIsRefusedNamingThePath() {
        plain("/guest/x");
        assertEquals("The sequence may not contain itself, directly or through other sequences:"
                + " /guest/x -> /guest/x.", write(GUEST, "/guest/x", "/_/x"));
    }

    @Test
    void aCycleThroughAnotherSequenceIsRefused() {
        plain("/guest/a");
        sequence("/guest/outer", "/guest/a");
        sequence("/guest/inner", "/guest/outer");
        assertEquals("The sequence may not contain itself, directly or through other sequences:"
                + " /guest/outer -> /guest/inner -> /guest/outer.", write(GUEST, "/guest/outer", "/guest/inner"));
    }

    @Test
    void aCycleThroughABindingIsRefusedAtTheActionWrite() {
        pkg("guest", "p2", false);
        binding("guest", "b", "guest", "p2");
        plain("/guest/p2/z");
        sequence("/guest/x", "/guest/b/z");
        assertEquals("The sequence may not contain itself, directly or through other sequences:"
                + " /guest/p2/z -> /guest/x -> /guest/b/z -> /guest/p2/z.", write(GUEST, "/guest/p2/z", "/guest/x"));
    }

    @Test
    void rePointingABindingThatWouldCloseACycleIsRefused() {
        pkg("guest", "p1", false);
        pkg("guest", "p2", false);
        binding("guest", "b", "guest", "p1");
        plain("/guest/p1/z");
        sequence("/guest/x", "/guest/b/z");
        assertNull(write(GUEST, "/guest/p2/z", "/guest/x"), "b binds p1: no cycle yet");
        sequence("/guest/p2/z", "/guest/x");
        assertNull(bind(GUEST, "/guest/b", "/guest/p1"), "the same target again closes nothing");
        assertEquals("The binding would close a sequence cycle: /guest/p2/z -> /guest/x -> /guest/b/z -> /guest/p2/z.",
                bind(GUEST, "/guest/b", "/guest/p2"));
        packages.remove("guest/b");
        assertEquals("The binding would close a sequence cycle: /guest/p2/z -> /guest/x -> /guest/b/z -> /guest/p2/z.",
                bind(GUEST, "/guest/b", "/guest/p2"), "a new binding under the name x already uses");
    }

    @Test
    void aCycleDeepInTheBoundPackageIsFoundFromEverySequence() {
        pkg("guest", "p", false);
        pkg("guest", "q", false);
        plain("/guest/q/w");
        plain("/guest/p/a0");
        binding("guest", "b", "guest", "q");
        sequence("/guest/y", "/guest/b/w");
        // p/a1 reaches the future cycle y -> b/w -> p/w -> y only on its way, through p/a2
        sequence("/guest/p/a2", "/guest/y");
        sequence("/guest/p/a1", "/guest/p/a0", "/guest/p/a2");
        sequence("/guest/p/w", "/guest/y");
        String refused = bind(GUEST, "/guest/b", "/guest/p");
        assertTrue(refused != null && refused.startsWith("The binding would close a sequence cycle: ")
                && refused.contains("/guest/y -> /guest/b/w -> /guest/"), refused);
    }

    @Test
    void aSequenceReachingAnOldCycleIsRefusedNamingTheCycle() {
        plain("/guest/a");
        sequence("/guest/c1", "/guest/c2");
        sequence("/guest/c2", "/guest/c1");
        assertEquals("The sequence reaches a sequence cycle: /guest/c1 -> /guest/c2 -> /guest/c1.",
                write(GUEST, "/guest/s", "/guest/a", "/guest/c1"));
    }

    @Test
    void theLengthAndNestingLimitsHold() {
        plain("/guest/a");
        String[] thirty = new String[30];
        java.util.Arrays.fill(thirty, "/guest/a");
        sequence("/guest/thirty", thirty);
        assertNull(write(GUEST, "/guest/ok", "/guest/thirty", "/guest/a"));
        assertTrue(write(GUEST, "/guest/sixty", "/guest/thirty", "/guest/thirty").contains("runs 60 actions"));

        sequence("/guest/n0", "/guest/a");
        for (int i = 1; i < 50; i++) {
            sequence("/guest/n" + i, "/guest/n" + (i - 1));
        }
        assertNull(write(GUEST, "/guest/top", "/guest/n49"), "50 nested levels, as many as a run allows");
        sequence("/guest/n50", "/guest/n49");
        assertTrue(write(GUEST, "/guest/top", "/guest/n50").contains("deeper than 50 levels"));
    }

    @Test
    void everyActionIsWalkedOnce() {
        plain("/guest/a");
        // d0 -> d1 twice -> d2 twice ...: 2^12 ways to the one action; each sequence's components resolved once
        sequence("/guest/d12", "/guest/a");
        for (int i = 11; i >= 0; i--) {
            sequence("/guest/d" + i, "/guest/d" + (i + 1), "/guest/d" + (i + 1));
        }
        pkg("guest", "p", false);
        sequence("/guest/p/s", "/guest/d0");
        assertNull(bind(GUEST, "/guest/b", "/guest/p"));
        assertEquals(1 + 12 * 2 + 1, reads.get(), "resolutions");
    }

    @Test
    void anUnknownComponentRefusesASequenceButNotABinding() {
        pkg("guest", "p", false);
        sequence("/guest/p/s", "/guest/gone");
        assertTrue(write(GUEST, "/guest/t", "/guest/p/s").contains("'/guest/gone' cannot be used"));
        assertNull(bind(GUEST, "/guest/b", "/guest/p"));
    }

    /**
     * A cycle through another namespace's actions that the binding's writer may not read is not seen (nor named)
     * at the write; the sequence's run-time bound stops it. Whoever may read all of it sees it at a later write.
     */
    @Test
    void actionsTheWriterMayNotReadAreNotFollowed() {
        pkg("bob", "pub", true);
        pkg("guest", "gp", true);
        binding("guest", "b", "guest", "gp", true);
        plain("/guest/gp/z");
        sequence("/guest/gp/x", "/guest/b/z");
        assertNull(write(BOB, "/bob/q", "/guest/gp/x"));
        sequence("/bob/q", "/guest/gp/x");
        assertNull(write(BOB, "/bob/pub/z", "/bob/q"));
        sequence("/bob/pub/z", "/bob/q");
        assertNull(bind(GUEST, "/guest/b", "/bob/pub"), "guest may not read /bob/q");
        binding("guest", "b", "bob", "pub", true);
        assertEquals("The sequence may not contain itself, directly or through other sequences: /bob/q"
                + " -> /guest/gp/x -> /guest/b/z -> /bob/q.", write(BOB, "/bob/q", "/guest/gp/x"));
    }

    @Test
    void theBoundPackageIsReadAPageAtATime() {
        pkg("guest", "p", false);
        binding("guest", "b", "guest", "p");
        plain("/guest/a");
        for (int i = 0; i < 450; i++) {
            sequence("/guest/p/s" + String.format("%03d", i), "/guest/a");
        }
        sequence("/guest/x", "/guest/b/s449");
        sequence("/guest/p/s449", "/guest/x");
        String refused = bind(GUEST, "/guest/b", "/guest/p");
        assertEquals("The binding would close a sequence cycle: /guest/p/s449 -> /guest/x -> /guest/b/s449"
                + " -> /guest/p/s449.", refused, "the last page too");
    }

    /** As in OpenWhisk: read access to each component the sequence names, 403 where it is missing. */
    @Test
    void aComponentTheWriterMayNotReadIsForbidden() {
        plain("/bob/private");
        pkg("bob", "hidden", false);
        plain("/bob/hidden/x");
        pkg("bob", "pub", true);
        plain("/bob/pub/x");
        plain("/guest/mine");
        for (String component : List.of("/bob/private", "/bob/hidden/x", "/bob/nothing/x")) {
            Future<WhiskAction> f = checks.check(GUEST, SequenceChecks.path("/guest/s"), seq("/guest/s", component));
            assertTrue(f.failed(), component);
            WispException e = (WispException) f.cause();
            assertEquals(403, e.status(), component + ": " + e.getMessage());
            assertEquals("The sequence component '" + component + "' is not accessible: The supplied authentication"
                    + " is not authorized to access 'bob'.", e.getMessage());
        }
        assertNull(write(GUEST, "/guest/s", "/bob/pub/x", "/_/mine"), "a published package's action may be used");
    }

    /** A component of a component belongs to the sequence that names it, whose writer could read it. */
    @Test
    void aNestedComponentTheWriterMayNotReadIsNotFollowed() {
        plain("/bob/q");
        pkg("bob", "pub", true);
        sequence("/bob/pub/s", "/bob/q");
        assertNull(write(GUEST, "/guest/s", "/bob/pub/s"));
    }
}
