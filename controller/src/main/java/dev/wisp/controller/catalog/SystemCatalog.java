package dev.wisp.controller.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.ActionLimits;
import dev.wisp.common.entity.Exec;
import dev.wisp.common.entity.KeyValue;
import dev.wisp.common.entity.Kinds;
import dev.wisp.common.entity.SemVer;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.entity.WhiskPackage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The system catalog Wisp ships: the published packages of the {@code whisk.system} namespace with their actions
 * ({@code utils}: echo, cat, sort, head, split, date, hosturl, namespace, smash, as in OpenWhisk's catalog; and
 * {@code alarms} with the {@code alarm} feed, which the controller serves itself). Read from the classpath
 * ({@code catalog/catalog.json} and the code files it names) as the entities to install, version
 * {@link SemVer#INITIAL} and {@code updated} 0; the installer decides the stored versions. Actions are shared
 * through their published package, as any package's are.
 */
public final class SystemCatalog {
    /** OpenWhisk's namespace for the system catalog. */
    public static final String NAMESPACE = "whisk.system";
    private static final String ROOT = "catalog/";
    /** The utilities are a few lines of JavaScript each: a small container is plenty. */
    private static final ActionLimits LIMITS = new ActionLimits(ActionLimits.DEFAULT.timeout(), 128,
            ActionLimits.DEFAULT.logs(), 1);

    /** One package of the catalog with its actions. */
    public record Package(WhiskPackage pkg, List<WhiskAction> actions) {
        public Package {
            Objects.requireNonNull(pkg, "pkg");
            actions = List.copyOf(actions);
        }
    }

    private final List<Package> packages;

    private SystemCatalog(List<Package> packages) {
        this.packages = List.copyOf(packages);
    }

    /** The catalog bundled with this build. */
    public static SystemCatalog bundled() {
        JsonNode manifest = Json.decode(resource("catalog.json").getBytes(StandardCharsets.UTF_8), JsonNode.class);
        String namespace = manifest.path("namespace").asText(NAMESPACE);
        List<Package> packages = new ArrayList<>();
        for (JsonNode p : manifest.path("packages")) {
            String name = p.path("name").asText();
            WhiskPackage pkg = new WhiskPackage(namespace, name, SemVer.INITIAL, p.path("publish").asBoolean(true),
                    WhiskPackage.Binding.NONE, keyValues(p.path("annotations")), keyValues(p.path("parameters")), 0);
            List<WhiskAction> actions = new ArrayList<>();
            for (JsonNode a : p.path("actions")) {
                String kind = a.path("kind").asText();
                if (!Kinds.isKnown(kind)) {
                    throw new IllegalStateException("the catalog's action " + name + "/" + a.path("name").asText()
                            + " has an unknown kind " + kind);
                }
                List<KeyValue> annotations = new ArrayList<>(keyValues(a.path("annotations")));
                annotations.add(new KeyValue("exec", TextNode.valueOf(kind)));
                annotations.add(new KeyValue(WhiskAction.PROVIDE_API_KEY, BooleanNode.FALSE));
                actions.add(new WhiskAction(namespace + "/" + name, a.path("name").asText(), SemVer.INITIAL,
                        false, new Exec(kind, resource(a.path("code").asText()), null, null, null, null),
                        annotations, keyValues(a.path("parameters")), LIMITS, 0));
            }
            packages.add(new Package(pkg, actions));
        }
        return new SystemCatalog(packages);
    }

    /** A catalog of the given packages, e.g. for a test. */
    public static SystemCatalog of(List<Package> packages) {
        return new SystemCatalog(packages);
    }

    public List<Package> packages() {
        return packages;
    }

    private static List<KeyValue> keyValues(JsonNode list) {
        List<KeyValue> out = new ArrayList<>();
        for (JsonNode kv : list) {
            out.add(new KeyValue(kv.path("key").asText(), kv.get("value")));
        }
        return out;
    }

    private static String resource(String name) {
        try (InputStream in = SystemCatalog.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("the catalog file " + ROOT + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
