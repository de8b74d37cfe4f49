package dev.wisp.it;

import static dev.wisp.it.WispClient.NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Packages: CRUD, forced delete, bindings and the parameter precedence, publishing to other namespaces. */
class PackagesIT {
    private static final String ECHO = "function main(params) { return params; }";
    private static WispClient wisp;

    @BeforeAll
    static void start() {
        wisp = WispFixture.client();
    }

    private static String params(String... kv) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < kv.length; i += 2) {
            b.append(i == 0 ? "" : ",").append("{\"key\":\"").append(kv[i]).append("\",\"value\":\"").append(kv[i + 1])
                    .append("\"}");
        }
        return b.append("]").toString();
    }

    private static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.path("name").asText()));
        return out;
    }

    @Test
    void createReadUpdateListAndForceDelete() {
        String pkg = NS + "/packages/crud";
        WispClient.Response created = wisp.put(pkg, "{\"parameters\":" + params("a", "1") + "}");
        assertEquals(200, created.status(), created.toString());
        assertEquals("0.0.1", created.json().path("version").asText());
        assertEquals("{}", created.json().path("binding").toString());
        assertFalse(created.json().path("publish").asBoolean());
        assertEquals(409, wisp.put(pkg, "{}").status());
        WispClient.Response updated = wisp.put(pkg + "?overwrite=true", "{\"publish\":true}");
        assertEquals(200, updated.status(), updated.toString());
        assertEquals("0.0.2", updated.json().path("version").asText());
        assertTrue(updated.json().path("publish").asBoolean());
        assertEquals("a", updated.json().path("parameters").get(0).path("key").asText(), "absent fields keep their values");

        assertEquals(200, wisp.put(NS + "/actions/crud/one", WispClient.nodeAction(ECHO)).status());
        assertEquals(200, wisp.put(NS + "/actions/crud/two", WispClient.nodeAction(ECHO)).status());
        WispClient.Response got = wisp.get(pkg);
        assertEquals(200, got.status(), got.toString());
        assertEquals(java.util.Set.of("two", "one"), java.util.Set.copyOf(names(got.json().path("actions"))),
                got.toString());
        // each as OpenWhisk shows a package's actions: name, version, annotations (the kind in 'exec')
        JsonNode first = got.json().path("actions").get(0);
        assertEquals(List.of("name", "version", "annotations"), fieldNames(first), first.toString());
        assertTrue(first.path("annotations").toString().contains("{\"key\":\"exec\",\"value\":\"nodejs:"),
                first.toString());
        assertEquals(0, got.json().path("feeds").size());
        WispClient.Response inPackage = wisp.get(NS + "/actions/crud/one");
        assertEquals(200, inPackage.status(), inPackage.toString());
        assertEquals("guest/crud", inPackage.json().path("namespace").asText());

        WispClient.Response list = wisp.get(NS + "/packages?limit=200");
        assertTrue(names(list.json()).contains("crud"), list.toString());
        assertTrue(wisp.get(NS + "/packages?count=true").json().path("packages").asInt() >= 1);
        assertTrue(names(wisp.get(NS + "/packages?public=true&limit=200").json()).contains("crud"));

        WispClient.Response notEmpty = wisp.delete(pkg);
        assertEquals(409, notEmpty.status(), notEmpty.toString());
        assertTrue(notEmpty.json().path("error").asText().startsWith("Package not empty (contains 2 entities)"),
                notEmpty.toString());
        assertEquals(200, wisp.get(NS + "/actions/crud/one").status(), "a refused delete deletes nothing");

        WispClient.Response forced = wisp.delete(pkg + "?force=true");
        assertEquals(200, forced.status(), forced.toString());
        assertEquals(404, wisp.get(pkg).status());
        WispClient.Response gone = wisp.get(NS + "/actions/crud/one");
        assertEquals(404, gone.status(), gone.toString());
        assertEquals(200, wisp.put(pkg, "{}").status(), "the name is free again");
        assertTrue(wisp.get(pkg).json().path("actions").isEmpty(), "the forced delete removed the actions");
        assertEquals(200, wisp.delete(pkg).status());
    }

    @Test
    void bindingsAndParameterPrecedence() {
        assertEquals(200, wisp.put(NS + "/packages/prec", "{\"parameters\":"
                + params("a", "package", "b", "package", "c", "package", "d", "package") + "}").status());
        WispClient.Response binding = wisp.put(NS + "/packages/prec-bound", "{\"binding\":{\"namespace\":\"_\","
                + "\"name\":\"prec\"},\"parameters\":" + params("b", "binding", "c", "binding", "d", "binding") + "}");
        assertEquals(200, binding.status(), binding.toString());
        assertEquals("guest", binding.json().path("binding").path("namespace").asText());
        assertEquals(200, wisp.put(NS + "/actions/prec/echo", "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":\""
                + ECHO + "\"},\"parameters\":" + params("c", "action", "d", "action") + "}").status());

        WispClient.Response viaBinding = wisp.post(NS + "/actions/prec-bound/echo?blocking=true&result=true",
                "{\"d\":\"invoke\"}");
        assertEquals(200, viaBinding.status(), viaBinding.toString());
        assertParams(viaBinding.json(), "package", "binding", "action", "invoke");
        WispClient.Response direct = wisp.post(NS + "/actions/prec/echo?blocking=true&result=true", "{}");
        assertParams(direct.json(), "package", "package", "action", "action");

        WispClient.Response shown = wisp.get(NS + "/packages/prec-bound");
        assertEquals(200, shown.status(), shown.toString());
        assertEquals(List.of("echo"), names(shown.json().path("actions")));
        assertEquals(4, shown.json().path("parameters").size(), "the bound package's parameters under the binding's");
        WispClient.Response actionViaBinding = wisp.get(NS + "/actions/prec-bound/echo");
        assertEquals(200, actionViaBinding.status(), actionViaBinding.toString());
        assertEquals(4, actionViaBinding.json().path("parameters").size(), actionViaBinding.toString());

        WispClient.Response inBinding = wisp.put(NS + "/actions/prec-bound/x", WispClient.nodeAction(ECHO));
        assertEquals(400, inBinding.status(), inBinding.toString());
        assertTrue(inBinding.json().path("error").asText().contains("is a binding"), inBinding.toString());
        WispClient.Response toBinding = wisp.put(NS + "/packages/prec-bound2",
                "{\"binding\":{\"namespace\":\"_\",\"name\":\"prec-bound\"}}");
        assertEquals(400, toBinding.status(), toBinding.toString());
        assertTrue(toBinding.json().path("error").asText().contains("Cannot bind to another package binding"));
        WispClient.Response becomeBinding = wisp.put(NS + "/packages/prec?overwrite=true",
                "{\"binding\":{\"namespace\":\"_\",\"name\":\"prec-bound\"}}");
        assertEquals(409, becomeBinding.status(), becomeBinding.toString());
        assertEquals(200, wisp.delete(NS + "/packages/prec-bound").status(), "a binding is deleted without force");
    }

    @Test
    void publishedPackagesAreSharedWithOtherNamespaces() {
        String other = "pkguser" + UUID.randomUUID().toString().substring(0, 8);
        WispClient bob = Admin.newUser(other);
        String guestPkg = "/api/v1/namespaces/guest/packages/shared";
        assertEquals(200, wisp.put(NS + "/packages/shared", "{\"parameters\":" + params("owner", "guest") + "}").status());
        assertEquals(200, wisp.put(NS + "/actions/shared/echo", WispClient.nodeAction(ECHO)).status());

        assertEquals(403, bob.get(guestPkg).status(), "not published yet");
        assertEquals(403, bob.post("/api/v1/namespaces/guest/actions/shared/echo?blocking=true", "{}").status());
        assertFalse(names(bob.get("/api/v1/namespaces/guest/packages?limit=200").json()).contains("shared"));
        WispClient.Response earlyBinding = bob.put("/api/v1/namespaces/_/packages/mine",
                "{\"binding\":{\"namespace\":\"guest\",\"name\":\"shared\"}}");
        assertEquals(403, earlyBinding.status(), earlyBinding.toString());

        assertEquals(200, wisp.put(NS + "/packages/shared?overwrite=true", "{\"publish\":true}").status());
        WispClient.Response seen = bob.get(guestPkg);
        assertEquals(200, seen.status(), seen.toString());
        assertEquals(List.of("echo"), names(seen.json().path("actions")));
        assertTrue(names(bob.get("/api/v1/namespaces/guest/packages?limit=200").json()).contains("shared"));

        WispClient.Response invoked = bob.post("/api/v1/namespaces/guest/actions/shared/echo?blocking=true",
                "{\"who\":\"bob\"}");
        assertEquals(200, invoked.status(), invoked.toString());
        assertEquals(other, invoked.json().path("namespace").asText(), "the record belongs to the caller");
        assertEquals("guest", invoked.json().path("response").path("result").path("owner").asText());
        String id = invoked.json().path("activationId").asText();
        assertEquals(200, bob.get("/api/v1/namespaces/_/activations/" + id).status());
        assertEquals(404, wisp.get(NS + "/activations/" + id).status(), "not in the owner's activations");

        WispClient.Response bound = bob.put("/api/v1/namespaces/_/packages/mine",
                "{\"binding\":{\"namespace\":\"guest\",\"name\":\"shared\"},\"parameters\":" + params("owner", "bob") + "}");
        assertEquals(200, bound.status(), bound.toString());
        WispClient.Response viaBinding = bob.post("/api/v1/namespaces/_/actions/mine/echo?blocking=true&result=true", "{}");
        assertEquals(200, viaBinding.status(), viaBinding.toString());
        assertEquals("bob", viaBinding.json().path("owner").asText());

        assertEquals(200, bob.get("/api/v1/namespaces/_/packages/mine").status());

        assertEquals(403, bob.put("/api/v1/namespaces/guest/actions/shared/evil", WispClient.nodeAction(ECHO)).status());
        assertEquals(403, bob.delete(guestPkg).status());
        assertEquals(403, bob.put(guestPkg + "?overwrite=true", "{}").status());

        // unpublished: the binding made while it was public shows nothing of it any more, nor runs it
        assertEquals(200, wisp.put(NS + "/packages/shared?overwrite=true", "{\"publish\":false}").status());
        WispClient.Response hidden = bob.get("/api/v1/namespaces/_/packages/mine");
        assertEquals(403, hidden.status(), hidden.toString());
        assertFalse(hidden.body().contains("echo"), "the bound package's actions still show: " + hidden);
        assertEquals(403, bob.post("/api/v1/namespaces/_/actions/mine/echo?blocking=true", "{}").status());
        assertEquals(200, wisp.delete(NS + "/packages/shared?force=true").status());
        WispClient.Response dangling = bob.post("/api/v1/namespaces/_/actions/mine/echo?blocking=true", "{}");
        assertTrue(dangling.status() == 404 || dangling.status() == 403, dangling.toString());
        assertTrue(dangling.json().has("error"), dangling.toString());
    }

    /**
     * OpenWhisk's other paths to a package's actions: {@code GET /actions/{pkg}/} lists them (a binding's are the
     * bound package's), and the namespace segment may be the package's path, {@code ns%2Fpkg}, as the npm client
     * sends it for an action taken from a list (Adobe's {@code aio runtime package delete --recursive}).
     */
    @Test
    void packageActionsThroughOpenWhisksPackagePaths() {
        assertEquals(200, wisp.put(NS + "/packages/paths", "{}").status());
        assertEquals(200, wisp.put(NS + "/actions/paths/one", WispClient.nodeAction(ECHO)).status());
        assertEquals(200, wisp.put(NS + "/actions/paths/two", WispClient.nodeAction(ECHO)).status());
        assertEquals(200, wisp.put(NS + "/packages/pathsb",
                "{\"binding\":{\"namespace\":\"_\",\"name\":\"paths\"}}").status());

        WispClient.Response listed = wisp.get(NS + "/actions/paths/");
        assertEquals(200, listed.status(), listed.toString());
        assertEquals(java.util.Set.of("one", "two"), java.util.Set.copyOf(names(listed.json())), listed.toString());
        listed.json().forEach(a -> assertEquals("guest/paths", a.path("namespace").asText(), a.toString()));
        assertEquals(2, wisp.get(NS + "/actions/paths/?count=true").json().path("actions").asInt());
        assertEquals(1, wisp.get(NS + "/actions/paths/?limit=1").json().size());
        WispClient.Response throughBinding = wisp.get(NS + "/actions/pathsb/");
        assertEquals(java.util.Set.of("one", "two"), java.util.Set.copyOf(names(throughBinding.json())),
                throughBinding.toString());
        assertError(wisp.get(NS + "/actions/nopkg/"), 404, "does not exist");

        String encoded = "/api/v1/namespaces/guest%2Fpaths/actions";
        assertEquals(java.util.Set.of("one", "two"), java.util.Set.copyOf(names(wisp.get(encoded).json())));
        WispClient.Response one = wisp.get(encoded + "/one");
        assertEquals(200, one.status(), one.toString());
        assertEquals("guest/paths", one.json().path("namespace").asText());
        WispClient.Response invoked = wisp.post(encoded + "/one?blocking=true&result=true", "{\"x\":1}");
        assertEquals(200, invoked.status(), invoked.toString());
        assertEquals(1, invoked.json().path("x").asInt(), invoked.toString());

        WispClient other = Admin.newUser("paths-other-" + UUID.randomUUID().toString().substring(0, 8));
        assertError(other.delete(encoded + "/two"), 403, "not authorized");
        assertError(wisp.get("/api/v1/namespaces/guest%2Fpaths/actions/pathsb/one"), 404, "does not exist");

        WispClient.Response deleted = wisp.delete(encoded + "/one");
        assertEquals(200, deleted.status(), deleted.toString());
        assertEquals(404, wisp.get(NS + "/actions/paths/one").status());
        assertEquals(List.of("two"), names(wisp.get(NS + "/actions/paths/").json()));
        assertEquals(200, wisp.delete(NS + "/packages/pathsb").status());
        assertEquals(200, wisp.delete(NS + "/packages/paths?force=true").status());
    }

    @Test
    void badInputsAreClear4xx() {
        assertError(wisp.put(NS + "/packages/default", "{}"), 400, "reserved");
        assertError(wisp.put(NS + "/packages/-bad", "{}"), 400, "is not allowed");
        assertError(wisp.put(NS + "/packages/b1", "{\"binding\":{\"namespace\":\"_\",\"name\":\"nope\"}}"), 400,
                "does not exist");
        assertError(wisp.put(NS + "/packages/b2", "{\"binding\":\"x\"}"), 400, "'binding' must be an object");
        assertError(wisp.put(NS + "/packages/b3", "{\"parameters\":{\"a\":1}}"), 400, "'parameters' must be an array");
        assertError(wisp.put(NS + "/packages/b4", "{\"publish\":\"yes\"}"), 400, "'publish' must be true or false");
        assertError(wisp.put(NS + "/packages/b5", "[]"), 400, "expected a JSON object");
        assertError(wisp.get(NS + "/packages?limit=999"), 400, "not in the range of 0 to 200");
        assertError(wisp.get(NS + "/packages/none"), 404, "does not exist");
        assertError(wisp.delete(NS + "/packages/none"), 404, "does not exist");
        assertEquals(200, wisp.put(NS + "/actions/taken", WispClient.nodeAction(ECHO)).status());
        assertError(wisp.put(NS + "/packages/taken", "{}"), 409, "exists");
        assertError(wisp.put(NS + "/actions/nopkg/x", WispClient.nodeAction(ECHO)), 404, "package 'nopkg' does not exist");
        assertError(wisp.post(NS + "/actions/nopkg/x", "{}"), 404, "package 'nopkg' does not exist");
        assertError(wisp.put("/api/v1/namespaces/someone-else/packages/x", "{}"), 403, "not authorized");
    }

    private static void assertParams(JsonNode result, String a, String b, String c, String d) {
        assertEquals(List.of(a, b, c, d), List.of(result.path("a").asText(), result.path("b").asText(),
                result.path("c").asText(), result.path("d").asText()), result.toString());
    }

    private static void assertError(WispClient.Response r, int status, String text) {
        assertEquals(status, r.status(), r.toString());
        assertTrue(r.json().path("error").asText().contains(text), r.toString());
        assertFalse(r.json().path("code").asText().isEmpty(), r.toString());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
