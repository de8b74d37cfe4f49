package dev.wisp.controller.api.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.Activation;
import dev.wisp.common.entity.ActivationResponse;
import dev.wisp.common.entity.Exec;
import dev.wisp.common.entity.KeyValue;
import dev.wisp.common.entity.SemVer;
import dev.wisp.common.entity.WhiskAction;
import dev.wisp.common.entity.WhiskPackage;
import dev.wisp.common.entity.WhiskTrigger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The list views, field for field as OpenWhisk's database views produce them. */
class BriefsTest {
    private static final List<KeyValue> ANNOTATIONS = List.of(new KeyValue("a", Json.toTree(1)));

    private static String json(Object o) {
        return new String(Json.encode(o));
    }

    @Test
    void anActionInAListHasItsLimitsAndOnlyTheBinaryFlagOfItsExec() {
        WhiskAction a = new WhiskAction("guest/pkg", "hello", new SemVer(0, 0, 2), true,
                new Exec("nodejs:default", "secret code", null, "main", null, null), ANNOTATIONS,
                List.of(new KeyValue("p", Json.toTree("v"))), null, 42).withExecAnnotation();
        assertEquals("{\"namespace\":\"guest/pkg\",\"name\":\"hello\",\"version\":\"0.0.2\",\"publish\":true,"
                + "\"annotations\":[{\"key\":\"a\",\"value\":1},{\"key\":\"exec\",\"value\":\"nodejs:20\"}],"
                + "\"updated\":42,\"limits\":{\"timeout\":60000,\"memory\":256,\"logs\":10,\"concurrency\":1},"
                + "\"exec\":{\"binary\":false}}", json(Briefs.action(a)));
    }

    @Test
    void aPackageInAListSaysBindingFalseABindingNamesItsPackage() {
        WhiskPackage plain = new WhiskPackage("guest", "utils", SemVer.INITIAL, false, null, ANNOTATIONS,
                List.of(new KeyValue("p", Json.toTree("v"))), 7);
        assertEquals("{\"namespace\":\"guest\",\"name\":\"utils\",\"version\":\"0.0.1\",\"publish\":false,"
                + "\"annotations\":[{\"key\":\"a\",\"value\":1}],\"updated\":7,\"binding\":false}",
                json(Briefs.pkg(plain)));
        WhiskPackage binding = new WhiskPackage("guest", "b", SemVer.INITIAL, false,
                new WhiskPackage.Binding("bob", "pub"), null, null, 8);
        assertEquals("{\"namespace\":\"bob\",\"name\":\"pub\"}", json(Briefs.pkg(binding).get("binding")));
        assertEquals("{}", json(Json.toTree(plain).get("binding")), "a package's own GET keeps OpenWhisk's {}");
    }

    @Test
    void aTriggerInAListHasNoParametersLimitsOrRules() {
        WhiskTrigger t = new WhiskTrigger("guest", "t", SemVer.INITIAL, false,
                List.of(new KeyValue("p", Json.toTree(1))), ANNOTATIONS, null, null, 9);
        assertEquals("{\"namespace\":\"guest\",\"name\":\"t\",\"version\":\"0.0.1\",\"publish\":false,"
                + "\"annotations\":[{\"key\":\"a\",\"value\":1}],\"updated\":9}", json(Briefs.trigger(t)));
    }

    @Test
    void anActionsActivationListsEndDurationAndStatusCodeATriggersNone() {
        Activation action = new Activation("guest", "hello", "guest", "a".repeat(32), "0.0.1", false, 100, 130, 30,
                ActivationResponse.applicationError(Json.object().put("error", "no")), List.of("line"),
                ANNOTATIONS, "c".repeat(32));
        assertEquals("{\"namespace\":\"guest\",\"name\":\"hello\",\"version\":\"0.0.1\",\"publish\":false,"
                + "\"annotations\":[{\"key\":\"a\",\"value\":1}],\"activationId\":\"" + "a".repeat(32) + "\","
                + "\"start\":100,\"end\":130,\"duration\":30,\"statusCode\":1,\"cause\":\"" + "c".repeat(32) + "\"}",
                json(Briefs.activation(action)));
        Activation trigger = new Activation("guest", "t", "guest", "b".repeat(32), "0.0.1", false, 100, null, null,
                ActivationResponse.success(Json.object()), List.of(), List.of(), null);
        ObjectNode brief = Briefs.activation(trigger);
        assertEquals("{\"namespace\":\"guest\",\"name\":\"t\",\"version\":\"0.0.1\",\"publish\":false,"
                + "\"annotations\":[],\"activationId\":\"" + "b".repeat(32) + "\",\"start\":100}", json(brief));
        ObjectNode full = (ObjectNode) Json.toTree(trigger);
        assertEquals(false, full.has("end") || full.has("duration"), "nor does the whole record: " + full);
    }

    @Test
    void aPackagesFeedsAreTheActionsAnnotatedFeed() {
        ObjectNode pkg = Json.object();
        Exec exec = new Exec("nodejs:20", "x", null, null, null, null);
        Briefs.packageActions(pkg, List.of(
                new WhiskAction("guest/p", "plain", SemVer.INITIAL, true, exec, null, null, null, 0),
                new WhiskAction("guest/p", "alarm", SemVer.INITIAL, true, exec,
                        List.of(new KeyValue("feed", Json.toTree(true))), null, null, 0)));
        assertEquals("{\"actions\":[{\"name\":\"plain\",\"version\":\"0.0.1\",\"annotations\":[]}],"
                + "\"feeds\":[{\"name\":\"alarm\",\"version\":\"0.0.1\",\"annotations\":[{\"key\":\"feed\","
                + "\"value\":true}]}]}", json(pkg));
    }
}
