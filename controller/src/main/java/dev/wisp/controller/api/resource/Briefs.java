package dev.wisp.controller.api.resource;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.Activation;
import dev.wisp.common.entity.KeyValue;
import dev.wisp.common.entity.SemVer;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.entity.WhiskPackage;
import dev.wisp.common.entity.WhiskTrigger;
import java.util.List;

/**
 * Entities and activations as OpenWhisk's lists show them, field for field (its database views): the fields every
 * entity has ({@code namespace}, {@code name}, {@code version}, {@code publish}, {@code annotations},
 * {@code updated}) and, by collection:
 * <ul>
 *   <li>an action: {@code limits} and {@code exec: {binary}} (its kind is in the {@code exec} annotation);</li>
 *   <li>a package: {@code binding}, {@code false} for a package, {@code {namespace, name}} for a binding;</li>
 *   <li>an activation: no {@code updated}; {@code activationId}, {@code start}, {@code cause} when set, and, for an
 *       action's activation only, {@code end}, {@code duration} and {@code statusCode} (a trigger's has none of
 *       them, which is how clients tell the two apart).</li>
 * </ul>
 * A package's actions, shown inside the package, are {@code {name, version, annotations}}; those annotated
 * {@code feed} are its feeds.
 */
public final class Briefs {
    private Briefs() {
    }

    static ObjectNode action(WhiskAction a) {
        ObjectNode json = entity(a.namespace(), a.name(), a.version(), a.publish(), a.annotations(), a.updated());
        json.set("limits", Json.toTree(a.limits()));
        json.putObject("exec").put("binary", a.exec().isBinary());
        return json;
    }

    static ObjectNode pkg(WhiskPackage p) {
        ObjectNode json = entity(p.namespace(), p.name(), p.version(), p.publish(), p.annotations(), p.updated());
        if (p.hasBinding()) {
            json.set("binding", Json.toTree(p.binding()));
        } else {
            json.put("binding", false);
        }
        return json;
    }

    static ObjectNode trigger(WhiskTrigger t) {
        return entity(t.namespace(), t.name(), t.version(), t.publish(), t.annotations(), t.updated());
    }

    static ObjectNode activation(Activation a) {
        ObjectNode json = Json.object().put("namespace", a.namespace()).put("name", a.name())
                .put("version", a.version()).put("publish", a.publish());
        json.set("annotations", Json.toTree(a.annotations()));
        json.put("activationId", a.activationId()).put("start", a.start());
        if (!a.isTrigger()) {
            json.put("end", a.end()).put("duration", a.duration() == null ? a.end() - a.start() : a.duration())
                    .put("statusCode", a.response().statusCode());
        }
        if (a.cause() != null) {
            json.put("cause", a.cause());
        }
        return json;
    }

    /** A package's actions as its {@code GET} shows them: {@code actions}, and {@code feeds} (annotated feed). */
    static void packageActions(ObjectNode pkg, List<WhiskAction> actions) {
        ArrayNode plain = pkg.putArray("actions");
        ArrayNode feeds = pkg.putArray("feeds");
        for (WhiskAction a : actions) {
            boolean feed = a.annotations().stream().anyMatch(kv -> kv.key().equals("feed"));
            ObjectNode brief = (feed ? feeds : plain).addObject().put("name", a.name())
                    .put("version", a.version().toString());
            brief.set("annotations", Json.toTree(a.annotations()));
        }
    }

    private static ObjectNode entity(String namespace, String name, SemVer version, boolean publish,
                                     List<KeyValue> annotations, long updated) {
        ObjectNode json = Json.object().put("namespace", namespace).put("name", name)
                .put("version", version.toString()).put("publish", publish);
        json.set("annotations", Json.toTree(annotations));
        json.put("updated", updated);
        return json;
    }
}
