package dev.wisp.it;

import static dev.wisp.it.WispClient.NS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The system catalog on the real standalone, as a user of another namespace sees it: {@code /whisk.system/utils}
 * listed and read, each utility invoked with OpenWhisk's sample inputs, echo, split and sort used in sequences
 * and echo behind a rule, and {@code /whisk.system} closed to writes. Also the admin command that installs it.
 */
class SystemCatalogIT {
    private static final String SYSTEM = "/api/v1/namespaces/whisk.system";
    private static final String USER = "catalog-user";
    private static final List<String> UTILS = List.of("cat", "date", "echo", "head", "hosturl", "namespace",
            "smash", "sort", "split");
    private static WispClient user;

    @BeforeAll
    static void start() {
        user = Admin.newUser(USER);
    }

    @Test
    void theCatalogIsListedAndReadFromAnotherNamespace() {
        WispClient.Response list = user.get(SYSTEM + "/packages");
        assertEquals(200, list.status(), list.toString());
        Set<String> packages = new TreeSet<>();
        list.json().forEach(p -> {
            packages.add(p.path("name").asText());
            assertTrue(p.path("publish").asBoolean(), p.toString());
            assertEquals("whisk.system", p.path("namespace").asText(), p.toString());
        });
        assertEquals(Set.of("alarms", "utils"), packages, list.toString());

        WispClient.Response utils = user.get(SYSTEM + "/packages/utils");
        assertEquals(200, utils.status(), utils.toString());
        assertEquals("Building blocks that format and assemble data", annotation(utils.json(), "description").asText());
        Set<String> actions = new TreeSet<>();
        for (JsonNode a : utils.json().path("actions")) {
            actions.add(a.path("name").asText());
            assertFalse(annotation(a, "description").asText().isEmpty(), "each utility says what it does: " + a);
        }
        assertEquals(new TreeSet<>(UTILS), actions, utils.toString());

        WispClient.Response sort = user.get(SYSTEM + "/actions/utils/sort");
        assertEquals(200, sort.status(), sort.toString());
        assertTrue(sort.json().path("exec").path("kind").asText().startsWith("nodejs"), sort.toString());
        assertJson("{\"lines\":[2,3,4],\"length\":3}", annotation(sort.json(), "sampleOutput"));
        assertEquals(200, WispFixture.client().get(SYSTEM + "/packages/utils").status(), "guest sees it too");
    }

    @Test
    void eachUtilityAnswersAsOpenWhisksDoes() {
        assertResult("echo", "{\"payload\":\"Five fuzzy felines\",\"n\":[1,{\"a\":null}]}",
                "{\"payload\":\"Five fuzzy felines\",\"n\":[1,{\"a\":null}]}");
        assertResult("cat", "{\"lines\":[4,2,3],\"other\":true}", "{\"lines\":[4,2,3],\"payload\":\"4\\n2\\n3\"}");
        assertResult("cat", "{}", "{\"lines\":[],\"payload\":\"\"}");
        assertResult("sort", "{\"lines\":[\"pear\",\"apple\",\"fig\"]}",
                "{\"lines\":[\"apple\",\"fig\",\"pear\"],\"length\":3}");
        assertResult("sort", "{\"lines\":[10,9,1]}", "{\"lines\":[1,10,9],\"length\":3}");
        assertResult("head", "{\"lines\":[4,2,3],\"num\":2}", "{\"lines\":[4,2],\"num\":2}");
        assertResult("head", "{\"lines\":[4,2,3]}", "{\"lines\":[4],\"num\":1}");
        assertResult("split", "{\"payload\":\"one,two,three\",\"separator\":\",\"}",
                "{\"lines\":[\"one\",\"two\",\"three\"],\"payload\":\"one,two,three\"}");
        assertResult("split", "{\"payload\":\"a\\nb\\r\\nc\"}", "{\"lines\":[\"a\",\"b\",\"c\"],\"payload\":\"a\\nb\\r\\nc\"}");
        assertResult("smash", "{\"a\":1,\"b\":{\"c\":2,\"d\":3},\"$fieldName\":\"p\"}",
                "{\"p\":{\"a\":1,\"b\":{\"c\":2,\"d\":3}}}");
        assertResult("namespace", "{}", "{\"namespace\":\"" + USER + "\"}");

        Instant before = Instant.now().minusSeconds(60);
        JsonNode date = result("date", "{}");
        Instant at = Instant.parse(date.path("date").asText());
        assertTrue(at.isAfter(before) && at.isBefore(Instant.now().plusSeconds(60)), date.toString());

        String web = result("hosturl", "{\"web\":true,\"path\":\"utils/echo\"}").path("url").asText();
        assertTrue(web.matches("https?://.+/api/v1/web/" + USER + "/utils/echo\\.json"), web);
        String plain = result("hosturl", "{\"path\":\"hello\"}").path("url").asText();
        assertTrue(plain.matches("https?://.+/api/v1/namespaces/" + USER + "/actions/hello"), plain);
        String trigger = result("hosturl", "{\"trigger\":true,\"path\":\"t\"}").path("url").asText();
        assertTrue(trigger.endsWith("/api/v1/namespaces/" + USER + "/triggers/t"), trigger);

        assertApplicationError("smash", "{\"a\":1}", "Expected an argument '$fieldName' of type 'string'.");
        assertApplicationError("hosturl", "{\"trigger\":true,\"path\":\"p/t\"}", "triggers are not allowed in packages.");
        assertApplicationError("split", "{}", "The parameter 'payload' is required.");
        assertApplicationError("sort", "{\"lines\":\"not an array\"}", "The parameter 'lines' must be an array.");
    }

    /** As the openwhisk npm client's own integration test does: sort by its fully qualified name, no parameters. */
    @Test
    void anInvokeIsRecordedInTheCallersNamespace() {
        WispClient.Response r = user.post(SYSTEM + "/actions/utils/sort?blocking=true", "{}");
        assertEquals(200, r.status(), r.toString());
        JsonNode record = r.json();
        assertTrue(record.path("response").path("success").asBoolean(), r.toString());
        assertJson("{\"lines\":[],\"length\":0}", record.path("response").path("result"));
        assertEquals(USER, record.path("namespace").asText(), r.toString());
        assertEquals("sort", record.path("name").asText());
        String id = record.path("activationId").asText();
        assertEquals(200, user.get(NS + "/activations/" + id).status(), "the caller reads its record");
    }

    @Test
    void splitAndSortAndEchoRunInTheUsersSequences() {
        assertEquals(200, user.put(NS + "/actions/cat-lines", sequence("/whisk.system/utils/split",
                "/whisk.system/utils/sort")).status());
        WispClient.Response sorted = user.post(NS + "/actions/cat-lines?blocking=true&result=true",
                "{\"payload\":\"Over-ripe sushi,\\nThe Master\\nIs full of regret.\"}");
        assertEquals(200, sorted.status(), sorted.toString());
        assertJson("{\"lines\":[\"Is full of regret.\",\"Over-ripe sushi,\",\"The Master\"],\"length\":3}",
                sorted.json());

        assertEquals(200, user.put(NS + "/actions/cat-shout", WispClient.nodeAction(
                "function main(p) { return {text: String(p.payload).toUpperCase()}; }")).status());
        assertEquals(200, user.put(NS + "/actions/cat-echo-shout", sequence("/whisk.system/utils/echo",
                "/_/cat-shout")).status());
        WispClient.Response shouted = user.post(NS + "/actions/cat-echo-shout?blocking=true", "{\"payload\":\"hi\"}");
        assertEquals(200, shouted.status(), shouted.toString());
        assertJson("{\"text\":\"HI\"}", shouted.json().path("response").path("result"));
        JsonNode components = shouted.json().path("logs");
        assertEquals(2, components.size(), shouted.toString());
        JsonNode echo = awaitRecord(components.get(0).asText());
        assertEquals("echo", echo.path("name").asText(), echo.toString());
        assertEquals(USER, echo.path("namespace").asText(), echo.toString());
        assertJson("{\"payload\":\"hi\"}", echo.path("response").path("result"));
    }

    @Test
    void echoRunsBehindARuleOfTheUsersTrigger() {
        assertEquals(200, user.put(NS + "/triggers/cat-trigger",
                "{\"parameters\":[{\"key\":\"from\",\"value\":\"trigger\"}]}").status());
        WispClient.Response rule = user.put(NS + "/rules/cat-rule",
                "{\"trigger\":\"cat-trigger\",\"action\":\"/whisk.system/utils/echo\"}");
        assertEquals(200, rule.status(), rule.toString());
        assertEquals("whisk.system/utils", rule.json().path("action").path("path").asText(), rule.toString());
        assertEquals("echo", rule.json().path("action").path("name").asText(), rule.toString());

        WispClient.Response fired = user.post(NS + "/triggers/cat-trigger", "{\"hello\":\"rule\"}");
        assertEquals(202, fired.status(), fired.toString());
        JsonNode entry = TriggersRulesIT.entries(awaitRecord(fired.json().path("activationId").asText()))
                .get(USER + "/cat-rule");
        assertTrue(entry != null && entry.path("success").asBoolean(), String.valueOf(entry));
        JsonNode run = awaitRecord(entry.path("activationId").asText());
        assertEquals("echo", run.path("name").asText(), run.toString());
        assertJson("{\"from\":\"trigger\",\"hello\":\"rule\"}", run.path("response").path("result"));

        WispClient.Response unknown = user.put(NS + "/rules/cat-rule-x",
                "{\"trigger\":\"cat-trigger\",\"action\":\"/whisk.system/utils/nothing\"}");
        assertEquals(404, unknown.status(), unknown.toString());
        WispClient.Response unshared = user.put(NS + "/rules/cat-rule-y",
                "{\"trigger\":\"cat-trigger\",\"action\":\"/guest/anything\"}");
        assertJsonError(unshared, 403);
        WispClient.Response otherTrigger = user.put(NS + "/rules/cat-rule-z",
                "{\"trigger\":\"/whisk.system/cat-trigger\",\"action\":\"/whisk.system/utils/echo\"}");
        assertJsonError(otherTrigger, 403);
    }

    @Test
    void aBindingOfUtilsBindsItsParameters() {
        WispClient.Response bound = user.put(NS + "/packages/cat-my-utils",
                "{\"binding\":{\"namespace\":\"whisk.system\",\"name\":\"utils\"},"
                        + "\"parameters\":[{\"key\":\"num\",\"value\":2}]}");
        assertEquals(200, bound.status(), bound.toString());
        WispClient.Response head = user.post(NS + "/actions/cat-my-utils/head?blocking=true&result=true",
                "{\"lines\":[\"a\",\"b\",\"c\"]}");
        assertEquals(200, head.status(), head.toString());
        assertJson("{\"lines\":[\"a\",\"b\"],\"num\":2}", head.json());
    }

    @Test
    void nobodyButTheOperatorChangesTheCatalog() {
        String echoVersion = user.get(SYSTEM + "/actions/utils/echo").json().path("version").asText();
        String code = WispClient.nodeAction("function main() { return {owned: true}; }");
        List<WispClient.Response> refused = new ArrayList<>();
        refused.add(user.put(SYSTEM + "/actions/utils/echo?overwrite=true", code));
        refused.add(user.put(SYSTEM + "/actions/utils/mine", code));
        refused.add(user.put(SYSTEM + "/actions/mine", code));
        refused.add(user.delete(SYSTEM + "/actions/utils/echo"));
        refused.add(user.put(SYSTEM + "/packages/utils?overwrite=true", "{\"publish\":false}"));
        refused.add(user.put(SYSTEM + "/packages/mine", "{}"));
        refused.add(user.delete(SYSTEM + "/packages/utils?force=true"));
        refused.add(user.put(SYSTEM + "/triggers/mine", "{}"));
        refused.add(user.put(SYSTEM + "/rules/mine", "{\"trigger\":\"mine\",\"action\":\"utils/echo\"}"));
        refused.add(WispFixture.client().delete(SYSTEM + "/actions/utils/sort"));
        for (WispClient.Response r : refused) {
            assertJsonError(r, 403);
            assertTrue(r.json().path("error").asText().contains("whisk.system"), r.toString());
        }
        assertEquals(echoVersion, user.get(SYSTEM + "/actions/utils/echo").json().path("version").asText());
        assertEquals(200, user.get(SYSTEM + "/packages/utils").status());
        assertResult("echo", "{\"still\":\"here\"}", "{\"still\":\"here\"}");
    }

    /**
     * {@code ./wisp admin catalog install} on an up-to-date store changes nothing; on a store where one utility
     * was altered and another deleted it puts back exactly those two, and the running controller serves the
     * restored code at once (the change is announced on Kafka).
     */
    @Test
    void theAdminCommandRepairsTheCatalogAndChangesNothingElse() throws Exception {
        String kafka = "--kafka.bootstrap=" + WispFixture.get().settings().string("kafka.bootstrap", null);
        Admin.Result upToDate = Admin.run(kafka, "catalog", "install");
        assertEquals(0, upToDate.exit(), upToDate.toString());
        assertTrue(upToDate.out().endsWith("catalog: 0 changed, 12 up to date"), upToDate.toString());

        assertResult("echo", "{\"x\":1}", "{\"x\":1}");
        String echoVersion = user.get(SYSTEM + "/actions/utils/echo").json().path("version").asText();
        ObjectNode echo = (ObjectNode) storeDoc("GET", "whisk.system/utils/echo", null).json();
        ((ObjectNode) echo.path("exec")).put("code", "function main() { return {tampered: true}; }");
        assertEquals(201, storeDoc("PUT", "whisk.system/utils/echo", echo.toString()).status());
        JsonNode date = storeDoc("GET", "whisk.system/utils/date", null).json();
        assertEquals(200, storeDoc("DELETE", "whisk.system/utils/date?rev=" + date.path("_rev").asText(), null)
                .status());

        Admin.Result repaired = Admin.run(kafka, "catalog", "install");
        assertEquals(0, repaired.exit(), repaired.toString());
        assertEquals(List.of("updated /whisk.system/utils/echo", "created /whisk.system/utils/date",
                "catalog: 2 changed, 10 up to date"), repaired.out().lines().toList(), repaired.toString());
        await().alias("the restored echo served").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> WispClient.parse("{\"x\":2}").equals(result("echo", "{\"x\":2}")));
        assertFalse(echoVersion.equals(user.get(SYSTEM + "/actions/utils/echo").json().path("version").asText()),
                "a replaced utility gets the next version");
        assertTrue(result("date", "{}").has("date"));
        assertEquals(UTILS.size(), user.get(SYSTEM + "/packages/utils").json().path("actions").size(),
                "nothing duplicated");
    }

    private static JsonNode result(String utility, String params) {
        WispClient.Response r = user.post(SYSTEM + "/actions/utils/" + utility + "?blocking=true&result=true", params);
        assertEquals(200, r.status(), utility + " " + params + ": " + r);
        return r.json();
    }

    private static void assertResult(String utility, String params, String expected) {
        assertEquals(WispClient.parse(expected), result(utility, params), utility + " " + params);
    }

    /** Equal as JSON, whatever the order of the fields. */
    private static void assertJson(String expected, JsonNode actual) {
        assertEquals(WispClient.parse(expected), actual);
    }

    private static void assertApplicationError(String utility, String params, String error) {
        WispClient.Response r = user.post(SYSTEM + "/actions/utils/" + utility + "?blocking=true", params);
        assertEquals(502, r.status(), utility + " " + params + ": " + r);
        assertEquals("application error", r.json().path("response").path("status").asText(), r.toString());
        assertEquals(error, r.json().path("response").path("result").path("error").asText(), r.toString());
    }

    /** OpenWhisk's error shape: {@code {"error": "...", "code": "<request id>"}}, the code also in the header. */
    private static void assertJsonError(WispClient.Response r, int status) {
        assertEquals(status, r.status(), r.toString());
        JsonNode body = r.json();
        assertFalse(body.path("error").asText().isEmpty(), r.toString());
        assertFalse(body.path("code").asText().isEmpty(), r.toString());
        assertEquals(r.headers().firstValue("X-Request-ID").orElse(null), body.path("code").asText(), r.toString());
    }

    private static String sequence(String... components) {
        List<String> quoted = new ArrayList<>();
        for (String c : components) {
            quoted.add("\"" + c + "\"");
        }
        return "{\"exec\":{\"kind\":\"sequence\",\"components\":[" + String.join(",", quoted) + "]}}";
    }

    private static JsonNode annotation(JsonNode entity, String key) {
        for (JsonNode kv : entity.path("annotations")) {
            if (kv.path("key").asText().equals(key)) {
                return kv.path("value");
            }
        }
        throw new AssertionError("no annotation " + key + " in " + entity);
    }

    private static JsonNode awaitRecord(String id) {
        JsonNode[] found = new JsonNode[1];
        await().alias("the record of " + id).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    WispClient.Response r = user.get(NS + "/activations/" + id);
                    found[0] = r.status() == 200 ? r.json() : null;
                    return found[0] != null;
                });
        return found[0];
    }

    /** A document of the store's entity database, read or written directly, as a broken or old install left it. */
    private static WispClient.Response storeDoc(String method, String idAndQuery, String body) throws Exception {
        String store = WispFixture.get().settings().string("store.url", null);
        String[] parts = idAndQuery.split("\\?", 2);
        URI uri = URI.create(store + "/wisp_whisks/" + URLEncoder.encode(parts[0], StandardCharsets.UTF_8)
                + (parts.length > 1 ? "?" + parts[1] : ""));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new WispClient.Response(r.statusCode(), r.body(), r.headers());
    }
}
