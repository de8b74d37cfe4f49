package dev.wisp.controller.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.entity.Exec;
import dev.wisp.common.entity.Identity;
import dev.wisp.common.entity.KeyValue;
import dev.wisp.common.entity.SemVer;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.entity.WhiskPackage;
import dev.wisp.common.error.WispException;
import dev.wisp.controller.cache.EntityCache;
import dev.wisp.controller.store.EntityStore;
import dev.wisp.controller.store.PackageStore;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Bindings, publishing and the parameter precedence package < binding < action < invoke, without a store. */
class ActionResolverTest {
    private static final Identity OWNER = new Identity("owner", "owner", "u1");
    private static final Identity OTHER = new Identity("other", "other", "u2");
    private final Map<String, EntityStore.Stored> actions = new HashMap<>();
    private final Map<String, PackageStore.Stored> packages = new HashMap<>();
    private final ActionResolver resolver = new ActionResolver(
            new EntityCache<>(p -> Future.succeededFuture(Optional.ofNullable(actions.get(p.docId()))),
                    Duration.ofMinutes(1), 100, System::currentTimeMillis),
            new EntityCache<>(p -> Future.succeededFuture(Optional.ofNullable(packages.get(p.docId()))),
                    Duration.ofMinutes(1), 100, System::currentTimeMillis));

    private static List<KeyValue> params(String... kv) {
        List<KeyValue> out = new java.util.ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.add(new KeyValue(kv[i], Json.toTree(kv[i + 1])));
        }
        return out;
    }

    private void pkg(String ns, String name, boolean publish, WhiskPackage.Binding binding, List<KeyValue> params) {
        packages.put(ns + "/" + name, new PackageStore.Stored(new WhiskPackage(ns, name, SemVer.INITIAL, publish,
                binding, null, params, 0), "1-a"));
    }

    private void action(String ns, String pkg, String name, List<KeyValue> params) {
        actions.put(ns + "/" + pkg + "/" + name, new EntityStore.Stored(new WhiskAction(ns + "/" + pkg, name,
                SemVer.INITIAL, false, new Exec("nodejs:default", "x", null, null, null, null), null, params, null, 0),
                "1-b"));
    }

    private ResolvedAction resolve(Identity caller, EntityPath path) {
        return resolver.resolve(caller, path).toCompletionStage().toCompletableFuture().join();
    }

    private int status(Identity caller, EntityPath path) {
        Throwable e = resolver.resolve(caller, path).cause();
        return e instanceof WispException w ? w.status() : 200;
    }

    @Test
    void aBindingInheritsInOpenWhisksOrder() {
        pkg("owner", "p", false, null, params("a", "package", "b", "package", "c", "package", "d", "package"));
        pkg("owner", "b", false, new WhiskPackage.Binding("owner", "p"), params("b", "binding", "c", "binding",
                "d", "binding"));
        action("owner", "p", "act", params("c", "action", "d", "action"));
        ResolvedAction r = resolve(OWNER, new EntityPath("owner", "b", "act"));
        assertEquals(new EntityPath("owner", "p", "act"), r.path(), "runs the bound package's action");
        ObjectNode invoke = Json.object().put("d", "invoke");
        assertEquals("{\"a\":\"package\",\"b\":\"binding\",\"c\":\"action\",\"d\":\"invoke\"}",
                Json.encodeToString(r.parameters(invoke)));
    }

    @Test
    void otherNamespacesReachOnlyPublishedPackages() {
        pkg("owner", "private", false, null, List.of());
        pkg("owner", "public", true, null, List.of());
        action("owner", "private", "x", List.of());
        action("owner", "public", "x", List.of());
        assertEquals(403, status(OTHER, new EntityPath("owner", "private", "x")));
        assertEquals(200, status(OTHER, new EntityPath("owner", "public", "x")));
        assertEquals(403, status(OTHER, new EntityPath("owner", "missing", "x")), "no hint that it exists");
        assertEquals(404, status(OWNER, new EntityPath("owner", "missing", "x")));
        assertEquals(403, status(OTHER, EntityPath.of("owner", "x")), "actions outside packages are never shared");
        pkg("other", "mine", false, new WhiskPackage.Binding("owner", "private"), List.of());
        assertEquals(403, status(OTHER, new EntityPath("other", "mine", "x")), "a binding cannot open a private package");
        assertTrue(resolver.resolve(OWNER, new EntityPath("owner", "public", "nope")).failed());
    }
}
