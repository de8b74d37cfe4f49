package dev.wisp.it;

import static dev.wisp.it.WispClient.NS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wisp.common.entity.Kinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sequences: results chained through components of several kinds, causes, failures, limits, non-blocking. */
class SequencesIT {
    private static WispClient wisp;

    @BeforeAll
    static void start() {
        wisp = WispFixture.client();
        assertEquals(200, wisp.put(NS + "/packages/seqpkg", "{}").status());
        assertEquals(200, wisp.put(NS + "/actions/seqpkg/inc", WispClient.nodeAction(
                "function main(p) { return { n: p.n + 1, by: p.by }; }")).status());
        assertEquals(200, wisp.put(NS + "/actions/double", "{\"exec\":{\"kind\":\"python:default\",\"code\":"
                + "\"def main(args):\\n    return {'n': args['n'] * 2}\\n\"}}").status());
        assertEquals(200, wisp.put(NS + "/actions/add100", WispClient.nodeAction(
                "function main(p) { return { n: p.n + 100 }; }")).status());
        assertEquals(200, wisp.put(NS + "/actions/fail", WispClient.nodeAction(
                "function main(p) { return { error: 'failed at ' + p.n }; }")).status());
    }

    private static String sequence(String... components) {
        List<String> quoted = new ArrayList<>();
        for (String c : components) {
            quoted.add("\"" + c + "\"");
        }
        return "{\"exec\":{\"kind\":\"sequence\",\"components\":[" + String.join(",", quoted) + "]},"
                + "\"parameters\":[{\"key\":\"by\",\"value\":\"seq\"}]}";
    }

    private static String annotation(JsonNode activation, String key) {
        for (JsonNode a : activation.path("annotations")) {
            if (a.path("key").asText().equals(key)) {
                return a.path("value").toString();
            }
        }
        return null;
    }

    /** A rule may name a sequence: the fire starts it, its record carries the chained result. */
    @Test
    void aTriggerFireRunsASequenceThroughItsRule() {
        assertEquals(200, wisp.put(NS + "/actions/firedchain", sequence("/_/seqpkg/inc", "/_/add100")).status());
        assertEquals(200, wisp.put(NS + "/triggers/seqtrigger", "{}").status());
        assertEquals(200, wisp.put(NS + "/rules/seqrule",
                "{\"trigger\":\"/_/seqtrigger\",\"action\":\"/_/firedchain\"}").status());
        WispClient.Response fired = wisp.post(NS + "/triggers/seqtrigger", "{\"n\":5}");
        assertEquals(202, fired.status(), fired.toString());
        String fireId = fired.json().path("activationId").asText();
        JsonNode fire = await().atMost(Duration.ofSeconds(60)).until(
                () -> wisp.get(NS + "/activations/" + fireId), r -> r.status() == 200).json();
        JsonNode entry = WispClient.parse(fire.path("logs").get(0).asText());
        assertTrue(entry.path("success").asBoolean(), fire.toString());
        String seqId = entry.path("activationId").asText();
        JsonNode seq = await().atMost(Duration.ofSeconds(60)).until(
                () -> wisp.get(NS + "/activations/" + seqId), r -> r.status() == 200).json();
        assertEquals(106, seq.path("response").path("result").path("n").asInt(), seq.toString());
        assertEquals(2, seq.path("logs").size(), seq.toString());
    }

    /**
     * Every write that would close a cycle is refused with the cycle's path: a sequence containing itself, a cycle
     * through another sequence, one through a binding (at the sequence's write), re-pointing a binding, and making
     * a binding under a name a sequence already uses. A refused write changes nothing.
     */
    @Test
    void everyWriteThatWouldCloseACycleIsRefusedNamingIt() {
        assertEquals(200, wisp.put(NS + "/actions/selfish", WispClient.nodeAction(
                "function main(p) { return p; }")).status());
        assertError(wisp.put(NS + "/actions/selfish?overwrite=true", sequence("/_/selfish")),
                "may not contain itself, directly or through other sequences: /guest/selfish -> /guest/selfish.");

        assertEquals(200, wisp.put(NS + "/packages/cp1", "{}").status());
        assertEquals(200, wisp.put(NS + "/packages/cp2", "{}").status());
        assertEquals(200, wisp.put(NS + "/actions/cp1/z", WispClient.nodeAction(
                "function main(p) { return { n: 1 }; }")).status());
        assertEquals(200, wisp.put(NS + "/actions/cp2/z", WispClient.nodeAction(
                "function main(p) { return { n: 2 }; }")).status());
        assertEquals(200, wisp.put(NS + "/packages/cb", "{\"binding\":{\"namespace\":\"_\",\"name\":\"cp2\"}}")
                .status());
        assertEquals(200, wisp.put(NS + "/actions/cx", sequence("/_/cb/z")).status());
        String closed = "/guest/cp2/z -> /guest/cx -> /guest/cb/z -> /guest/cp2/z.";
        // through the binding, at the sequence's write
        assertError(wisp.put(NS + "/actions/cp2/z?overwrite=true", sequence("/_/cx")),
                "may not contain itself, directly or through other sequences: " + closed);

        // re-pointing the binding to a package whose sequence reaches back
        assertEquals(200, wisp.put(NS + "/packages/cb?overwrite=true",
                "{\"binding\":{\"namespace\":\"_\",\"name\":\"cp1\"}}").status());
        assertEquals(200, wisp.put(NS + "/actions/cp2/z?overwrite=true", sequence("/_/cx")).status());
        assertError(wisp.put(NS + "/packages/cb?overwrite=true",
                "{\"binding\":{\"namespace\":\"_\",\"name\":\"cp2\"}}"),
                "The binding would close a sequence cycle: " + closed);
        assertEquals("cp1", wisp.get(NS + "/packages/cb").json().path("binding").path("name").asText(),
                "the refused binding stays as it was");
        WispClient.Response runs = wisp.post(NS + "/actions/cx?blocking=true&result=true", "{}");
        assertEquals(1, runs.json().path("n").asInt(), runs.toString());

        // a new binding under the name the sequence already uses
        assertEquals(200, wisp.delete(NS + "/packages/cb").status());
        assertError(wisp.put(NS + "/packages/cb", "{\"binding\":{\"namespace\":\"_\",\"name\":\"cp2\"}}"),
                "The binding would close a sequence cycle: " + closed);
        assertEquals(404, wisp.get(NS + "/packages/cb").status(), "the refused binding was not made");
    }

    /**
     * A cycle that no single writer can see is still possible and stopped at run time: bob's private {@code q}
     * (which guest may not read) reaches guest's published sequence, which goes through guest's published binding;
     * guest re-points that binding to bob's package, whose sequence runs {@code q}. Only bob's invokes loop: a
     * loop with an action in it ends after the sequence length limit of actions, one of sequences alone after as
     * many levels.
     */
    @Test
    void aCycleThroughActionsTheWriterCannotReadStopsAtTheLengthLimit() {
        String bobNs = "seqbob" + java.util.UUID.randomUUID().toString().substring(0, 8);
        WispClient bob = Admin.newUser(bobNs);
        String bobApi = "/api/v1/namespaces/_";
        assertEquals(200, wisp.put(NS + "/packages/rt1", "{}").status());
        for (String name : List.of("s", "s2")) {
            assertEquals(200, wisp.put(NS + "/actions/rt1/" + name, WispClient.nodeAction(
                    "function main(p) { return p; }")).status());
        }
        assertEquals(200, wisp.put(NS + "/packages/rtb", "{\"publish\":true,\"binding\":{\"namespace\":\"_\","
                + "\"name\":\"rt1\"}}").status());
        assertEquals(200, wisp.put(NS + "/packages/rtg", "{\"publish\":true}").status());
        assertEquals(200, wisp.put(NS + "/actions/rtg/x", sequence("/_/rtb/s")).status());
        assertEquals(200, wisp.put(NS + "/actions/rtg/x2", sequence("/_/rtb/s2")).status());

        assertEquals(200, bob.put(bobApi + "/actions/ticker", WispClient.nodeAction(
                "function main(p) { return { n: (p.n || 0) + 1 }; }")).status());
        WispClient.Response q = bob.put(bobApi + "/actions/q", sequence("/_/ticker", "/guest/rtg/x"));
        assertEquals(200, q.status(), q.toString());
        assertEquals(200, bob.put(bobApi + "/actions/q2", sequence("/guest/rtg/x2")).status());
        assertEquals(200, bob.put(bobApi + "/packages/pub", "{\"publish\":true}").status());
        assertEquals(200, bob.put(bobApi + "/actions/pub/s", sequence("/_/q")).status());
        assertEquals(200, bob.put(bobApi + "/actions/pub/s2", sequence("/_/q2")).status());

        // guest's walk stops at bob's private q: the binding is accepted
        WispClient.Response rebound = wisp.put(NS + "/packages/rtb?overwrite=true",
                "{\"binding\":{\"namespace\":\"" + bobNs + "\",\"name\":\"pub\"}}");
        assertEquals(200, rebound.status(), rebound.toString());
        // while bob, who may read all of it, cannot write the same loop again
        assertError(bob.put(bobApi + "/actions/q?overwrite=true", sequence("/_/ticker", "/guest/rtg/x")),
                "/" + bobNs + "/q -> /guest/rtg/x -> /guest/rtb/s -> /" + bobNs + "/q.");

        // pub/s -> q -> (ticker, rtg/x -> rtb/s = pub/s -> ...): one action per turn
        WispClient.Response looped = bob.post(bobApi + "/actions/pub/s?blocking=true", "{\"n\":0}");
        assertEquals(502, looped.status(), looped.toString());
        String error = looped.json().path("response").path("result").path("error").asText();
        assertTrue(error.contains("(the sequence length limit)"), looped.toString());
        int ticks = bob.get(bobApi + "/activations?name=ticker&count=true").json().path("activations").asInt();
        assertTrue(ticks >= 1 && ticks <= 50, ticks + " actions ran in the loop");

        // pub/s2 -> q2 -> rtg/x2 -> rtb/s2 = pub/s2 -> ...: sequences only, nothing would ever run
        WispClient.Response nested = bob.post(bobApi + "/actions/pub/s2?blocking=true", "{}");
        assertEquals(502, nested.status(), nested.toString());
        assertTrue(nested.json().path("response").path("result").path("error").asText()
                .contains("nests sequences deeper than 50 levels"), nested.toString());
    }

    /** A sequence exported as a web action answers its URL with the last component's result. */
    @Test
    void aSequenceServesAsAWebAction() throws Exception {
        assertEquals(200, wisp.put(NS + "/actions/webchain", "{\"exec\":{\"kind\":\"sequence\",\"components\":"
                + "[\"/_/seqpkg/inc\",\"/_/add100\"]},\"annotations\":[{\"key\":\"web-export\",\"value\":true}]}")
                .status());
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(WispFixture.get().apiHost() + "/api/v1/web/guest/default/webchain.json"))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"n\":1}")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(102, WispClient.parse(r.body()).path("n").asInt(), r.body());
    }

    @Test
    void chainsResultsThroughComponentsOfSeveralKinds() {
        WispClient.Response created = wisp.put(NS + "/actions/chain", sequence("/_/seqpkg/inc", "/_/double", "/guest/add100"));
        assertEquals(200, created.status(), created.toString());
        assertEquals("[\"/guest/seqpkg/inc\",\"/guest/double\",\"/guest/add100\"]",
                created.json().path("exec").path("components").toString());

        WispClient.Response r = wisp.post(NS + "/actions/chain?blocking=true", "{\"n\":1}");
        assertEquals(200, r.status(), r.toString());
        JsonNode seq = r.json();
        assertEquals(104, seq.path("response").path("result").path("n").asInt(), r.toString());
        assertEquals("chain", seq.path("name").asText());
        assertEquals("true", annotation(seq, "topmost"));
        assertEquals("\"sequence\"", annotation(seq, "kind"));
        assertTrue(annotation(seq, "limits") != null, r.toString());
        String seqId = seq.path("activationId").asText();
        assertEquals(seqId, r.headers().firstValue("x-openwhisk-activation-id").orElse(null));
        assertEquals(3, seq.path("logs").size(), r.toString());

        List<String> kinds = new ArrayList<>();
        for (JsonNode id : seq.path("logs")) {
            WispClient.Response component = wisp.get(NS + "/activations/" + id.asText());
            assertEquals(200, component.status(), component.toString());
            assertEquals(seqId, component.json().path("cause").asText(), component.toString());
            assertEquals("\"sequence\"", annotation(component.json(), "causedBy"), component.toString());
            kinds.add(annotation(component.json(), "kind"));
        }
        // the concrete kinds the components were stored with, as OpenWhisk records them
        String node = "\"" + Kinds.concrete("nodejs:default") + "\"";
        assertEquals(List.of(node, "\"" + Kinds.concrete("python:default") + "\"", node), kinds);
        WispClient.Response stored = wisp.get(NS + "/activations/" + seqId);
        assertEquals(200, stored.status(), stored.toString());
        assertEquals(seq.path("logs"), stored.json().path("logs"));
        WispClient.Response first = wisp.get(NS + "/activations/" + seq.path("logs").get(0).asText() + "/result");
        assertEquals("seq", first.json().path("result").path("by").asText(), "the sequence's parameters reach the first component");
    }

    @Test
    void failingComponentEndsTheSequenceWithItsError() {
        assertEquals(200, wisp.put(NS + "/actions/breaks", sequence("/_/seqpkg/inc", "/_/fail", "/_/add100")).status());
        WispClient.Response r = wisp.post(NS + "/actions/breaks?blocking=true", "{\"n\":1}");
        assertEquals(502, r.status(), r.toString());
        assertEquals(1, r.json().path("response").path("statusCode").asInt(), r.toString());
        assertEquals("failed at 2", r.json().path("response").path("result").path("error").asText(), r.toString());
        assertEquals(2, r.json().path("logs").size(), "the third component never ran: " + r);
    }

    @Test
    void nonBlockingInvokeAnswersWithTheIdAndEndsWithARecord() {
        assertEquals(200, wisp.put(NS + "/actions/later", sequence("/_/add100", "/_/double")).status());
        WispClient.Response accepted = wisp.post(NS + "/actions/later", "{\"n\":0}");
        assertEquals(202, accepted.status(), accepted.toString());
        String id = accepted.json().path("activationId").asText();
        WispClient.Response[] result = new WispClient.Response[1];
        await().alias("the sequence's record").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> (result[0] = wisp.get(NS + "/activations/" + id + "/result")).status() == 200);
        assertEquals(200, result[0].json().path("result").path("n").asInt(), result[0].toString());
    }

    @Test
    void anIdempotencyKeyRunsTheSequenceOnce() {
        assertEquals(200, wisp.put(NS + "/actions/keyed", sequence("/_/add100", "/_/seqpkg/inc")).status());
        String key = "seq-" + java.util.UUID.randomUUID();
        WispClient.Response first = invokeWithKey("keyed", "", "{\"n\":1}", key);
        assertEquals(202, first.status(), first.toString());
        String id = first.json().path("activationId").asText();
        WispClient.Response blocking = invokeWithKey("keyed", "?blocking=true", "{\"n\":1}", key);
        assertEquals(200, blocking.status(), blocking.toString());
        assertEquals(id, blocking.json().path("activationId").asText());
        assertEquals(102, blocking.json().path("response").path("result").path("n").asInt(), blocking.toString());
        List<String> components = new ArrayList<>();
        blocking.json().path("logs").forEach(l -> components.add(l.asText()));
        WispClient.Response again = invokeWithKey("keyed", "?blocking=true", "{\"n\":1}", key);
        assertEquals(id, again.json().path("activationId").asText());
        List<String> componentsAgain = new ArrayList<>();
        again.json().path("logs").forEach(l -> componentsAgain.add(l.asText()));
        assertEquals(components, componentsAgain, "the components ran once");
        assertEquals(1, wisp.get(NS + "/activations?docs=true&limit=200&name=add100").json().findValues("cause")
                .stream().filter(c -> c.asText().equals(id)).count(), "one run of the first component");
        WispClient.Response other = invokeWithKey("keyed", "", "{\"n\":2}", key);
        assertEquals(422, other.status(), other.toString());
    }

    private static WispClient.Response invokeWithKey(String action, String query, String body, String key) {
        return wisp.request("POST", NS + "/actions/" + action + query,
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.util.Map.of("Idempotency-Key", key));
    }

    @Test
    void invalidSequencesAreRejected() {
        String[] many = new String[51];
        java.util.Arrays.fill(many, "/_/add100");
        assertError(wisp.put(NS + "/actions/toolong", sequence(many)), "sequence length limit of 50");
        assertError(wisp.put(NS + "/actions/missing", sequence("/_/add100", "/_/no-such-action")),
                "no-such-action' cannot be used");
        assertError(wisp.put(NS + "/actions/empty", sequence()), "at least one component");
        assertError(wisp.put(NS + "/actions/relative", sequence("add100")), "not a fully qualified action name");
        assertError(wisp.put(NS + "/actions/self", sequence("/_/self")), "cannot be used");
        assertEquals(200, wisp.put(NS + "/actions/outer", sequence("/_/add100")).status());
        assertEquals(200, wisp.put(NS + "/actions/inner", sequence("/_/outer")).status());
        assertError(wisp.put(NS + "/actions/outer?overwrite=true", sequence("/_/inner")),
                "may not contain itself, directly or through other sequences: /guest/outer -> /guest/inner -> /guest/outer.");
        String[] thirty = new String[30];
        java.util.Arrays.fill(thirty, "/_/add100");
        assertEquals(200, wisp.put(NS + "/actions/thirty", sequence(thirty)).status());
        assertError(wisp.put(NS + "/actions/sixty", sequence("/_/thirty", "/_/thirty")), "runs 60 actions");
    }

    private static void assertError(WispClient.Response r, String text) {
        assertEquals(400, r.status(), r.toString());
        assertTrue(r.json().path("error").asText().contains(text), r.toString());
    }
}
