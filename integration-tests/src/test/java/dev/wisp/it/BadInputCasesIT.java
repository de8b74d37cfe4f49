package dev.wisp.it;

import static dev.wisp.it.WispClient.NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input suite: one request per row, each asserting the status and a part of the message a user sees.
 * None may answer 5xx, and a refused create must leave nothing behind. Rows that sit exactly at a limit must
 * succeed, so every limit is tested at its value and one past it.
 */
class BadInputCasesIT {
    private static final int MB = 1_048_576;
    private static WispClient wisp;

    /**
     * One request and what it must get.
     *
     * @param auth    null: the guest's credentials; otherwise the raw {@code Authorization} header ("" for none)
     * @param expect  a part of the error message, or of the body for a success
     */
    record Case(String method, String path, Supplier<byte[]> body, String auth, int status, String expect) {
    }

    @BeforeAll
    static void start() {
        wisp = WispFixture.client();
        assertEquals(200, wisp.put(NS + "/actions/bad-target?overwrite=true",
                WispClient.nodeAction("function main(p) { return p; }")).status());
    }

    private static Supplier<byte[]> json(String body) {
        return () -> body.getBytes(StandardCharsets.UTF_8);
    }

    private static String action(String extra) {
        return "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":\"function main(p) { return p; }\"}" + extra + "}";
    }

    private static String limits(String field, String value) {
        return action(",\"limits\":{\"" + field + "\":" + value + "}");
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    private static Arguments row(String name, String method, String path, String body, int status, String expect) {
        return row(name, method, path, body == null ? null : json(body), null, status, expect);
    }

    private static Arguments row(String name, String method, String path, Supplier<byte[]> body, String auth,
                                 int status, String expect) {
        return Arguments.of(name, new Case(method, path, body, auth, status, expect));
    }

    static Stream<Arguments> cases() {
        String guest = WispFixture.get().guestAuth();
        String uuid = guest.substring(0, guest.indexOf(':'));
        String key = guest.substring(guest.indexOf(':') + 1);
        String invoke = NS + "/actions/bad-target?blocking=true&result=true";
        String name256 = "n" + "x".repeat(255);
        List<Arguments> rows = new ArrayList<>(List.of(
                // credentials
                row("no credentials", "GET", NS + "/actions", null, "", 401, "authentication is invalid"),
                row("wrong key", "GET", NS + "/actions", null, basic(uuid + ":wrong"), 401, "authentication is invalid"),
                row("unknown uuid", "GET", NS + "/actions", null, basic("00000000-0000-0000-0000-000000000000:" + key),
                        401, "authentication is invalid"),
                row("empty key", "GET", NS + "/actions", null, basic(uuid + ":"), 401, "authentication is invalid"),
                row("no colon", "GET", NS + "/actions", null, basic(uuid + key), 401, "authentication is invalid"),
                row("not base64", "GET", NS + "/actions", null, "Basic !!!not-base64!!!", 401, "authentication is invalid"),
                row("bearer scheme", "GET", NS + "/actions", null, "Bearer " + key, 401, "authentication is invalid"),
                row("4 KB of garbage", "GET", NS + "/actions", null, "Basic " + "A".repeat(4096), 401,
                        "authentication is invalid"),
                row("key of another uuid's length", "GET", NS + "/actions", null, basic(uuid + ":" + key + "x"), 401,
                        "authentication is invalid"),
                // other namespaces
                row("list another namespace", "GET", "/api/v1/namespaces/other/actions", null, 403, "not authorized to access 'other'"),
                row("create in another namespace", "PUT", "/api/v1/namespaces/other/actions/x", action(""), 403, "not authorized"),
                row("invoke in another namespace", "POST", "/api/v1/namespaces/other/actions/x", "{}", 403, "not authorized"),
                row("delete in another namespace", "DELETE", "/api/v1/namespaces/other/actions/x", null, 403, "not authorized"),
                row("activations of another namespace", "GET", "/api/v1/namespaces/other/activations", null, 403, "not authorized"),
                row("limits of another namespace", "GET", "/api/v1/namespaces/other/limits", null, 403, "not authorized"),
                // names
                row("name starting with a dash", "PUT", NS + "/actions/-dash", action(""), 400, "name '-dash' is not allowed"),
                row("name with a bang", "PUT", NS + "/actions/bang!", action(""), 400, "is not allowed"),
                row("name ending in a space", "PUT", NS + "/actions/space%20", action(""), 400, "is not allowed"),
                row("name with an encoded slash", "PUT", NS + "/actions/a%2Fb", action(""), 400, "is not allowed"),
                row("non-ASCII name", "PUT", NS + "/actions/h%C3%A9llo", action(""), 400, "is not allowed"),
                row("name of 257 characters", "PUT", NS + "/actions/" + name256 + "x", action(""), 400,
                        "257 characters, the limit is 256"),
                row("name of 256 characters", "PUT", NS + "/actions/" + name256, action(""), 200, name256),
                row("bad package name", "GET", NS + "/actions/-pkg/x", null, 400, "package name '-pkg' is not allowed"),
                row("action in a missing package", "GET", NS + "/actions/pkg/x", null, 404, "package 'pkg' does not exist"),
                row("create in a missing package", "PUT", NS + "/actions/pkg/x", action(""), 404, "package 'pkg' does not exist"),
                row("unknown action", "GET", NS + "/actions/no-such-action", null, 404, "does not exist"),
                row("delete an unknown action", "DELETE", NS + "/actions/no-such-action", null, 404, "does not exist"),
                row("invoke an unknown action", "POST", NS + "/actions/no-such-action", "{}", 404, "does not exist"),
                row("malformed activation id", "GET", NS + "/activations/not-an-id", null, 400, "is not valid"),
                row("activation id of 33 digits", "GET", NS + "/activations/" + "a".repeat(33), null, 400, "32 hexadecimal"),
                row("upper-case activation id", "GET", NS + "/activations/" + "A".repeat(32), null, 400, "is not valid"),
                row("unknown activation", "GET", NS + "/activations/" + "0".repeat(32) + "/result", null, 404, "does not exist"),
                row("unknown resource", "GET", NS + "/nothing-here", null, 404, "does not exist"),
                // broken and hostile JSON
                row("truncated JSON", "PUT", NS + "/actions/broken1", "{\"exec\": ", 400, "malformed"),
                row("array instead of object", "PUT", NS + "/actions/broken2", "[1,2,3]", 400, "expected a JSON object, got array"),
                row("100k nested arrays", "PUT", NS + "/actions/broken3", "[".repeat(100_000) + "]".repeat(100_000), 400, "malformed"),
                row("100k nested objects as parameters", "POST", invoke, "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000),
                        400, "malformed"),
                row("number of 1001 digits", "POST", invoke, "{\"n\":" + "9".repeat(1001) + "}", 400, "Number value length"),
                row("number beyond a double", "POST", invoke, "{\"n\":1e999}", 400, "out of range"),
                row("invalid UTF-8", "POST", NS + "/actions/bad-target", (Supplier<byte[]>) () -> new byte[] {'{', '"', 'a', '"',
                        ':', '"', (byte) 0xff, '"', '}'}, null, 400, "Invalid UTF-8"),
                row("null body", "POST", invoke, "null", 400, "expected a JSON object, got null"),
                row("number body", "POST", invoke, "42", 400, "expected a JSON object, got number"),
                row("string body", "POST", invoke, "\"text\"", 400, "expected a JSON object, got string"),
                row("two JSON documents", "POST", invoke, "{} {}", 400, "malformed"),
                // wrong types and missing fields
                row("no exec", "PUT", NS + "/actions/t1", "{}", 400, "missing its 'exec'"),
                row("exec null", "PUT", NS + "/actions/t2", "{\"exec\":null}", 400, "missing its 'exec'"),
                row("exec a string", "PUT", NS + "/actions/t3", "{\"exec\":\"code\"}", 400, "'exec' must be an object"),
                row("kind missing", "PUT", NS + "/actions/t4", "{\"exec\":{\"code\":\"x\"}}", 400, "'exec.kind' is required"),
                row("kind a number", "PUT", NS + "/actions/t5", "{\"exec\":{\"kind\":7,\"code\":\"x\"}}", 400, "'exec.kind' must be a string"),
                row("unknown kind", "PUT", NS + "/actions/t6", "{\"exec\":{\"kind\":\"cobol:1\",\"code\":\"x\"}}", 400, "'cobol:1' is not supported"),
                row("sequence of a missing action", "PUT", NS + "/actions/t7", "{\"exec\":{\"kind\":\"sequence\",\"components\":[\"/_/a\"]}}", 400,
                        "component '/guest/a' cannot be used"),
                row("blackbox without image", "PUT", NS + "/actions/t8", "{\"exec\":{\"kind\":\"blackbox\"}}", 400, "needs 'exec.image'"),
                row("code missing", "PUT", NS + "/actions/t9", "{\"exec\":{\"kind\":\"nodejs:default\"}}", 400, "missing 'exec.code'"),
                row("code a number", "PUT", NS + "/actions/t10", "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":5}}", 400, "'exec.code' must be a string"),
                row("empty main", "PUT", NS + "/actions/t11", "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":\"x\",\"main\":\"\"}}", 400, "'exec.main'"),
                row("binary code not base64", "PUT", NS + "/actions/t12", "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":\"x!\",\"binary\":true}}",
                        400, "not base64"),
                row("binary a string", "PUT", NS + "/actions/t13", "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":\"x\",\"binary\":\"yes\"}}",
                        400, "'exec.binary' must be true or false"),
                row("parameters an object", "PUT", NS + "/actions/t14", action(",\"parameters\":{\"a\":1}"), 400, "'parameters' must be an array"),
                row("parameter without key", "PUT", NS + "/actions/t15", action(",\"parameters\":[{\"value\":1}]"), 400, "non-empty string 'key'"),
                row("annotation key a number", "PUT", NS + "/actions/t16", action(",\"annotations\":[{\"key\":1,\"value\":1}]"), 400,
                        "non-empty string 'key'"),
                row("delAnnotations a string", "PUT", NS + "/actions/t17", action(",\"delAnnotations\":\"a\""), 400, "'delAnnotations' must be an array"),
                row("publish a string", "PUT", NS + "/actions/t18", action(",\"publish\":\"yes\""), 400, "'publish' must be true or false"),
                row("version not semantic", "PUT", NS + "/actions/t19", action(",\"version\":\"one\""), 400, "'version' must be a version"),
                row("limits an array", "PUT", NS + "/actions/t20", action(",\"limits\":[]"), 400, "'limits' must be an object"),
                row("memory a string", "PUT", NS + "/actions/t21", limits("memory", "\"256\""), 400, "memory limit must be an integer"),
                row("memory a fraction", "PUT", NS + "/actions/t22", limits("memory", "256.5"), 400, "memory limit must be an integer"),
                row("memory 1e400", "PUT", NS + "/actions/t23", limits("memory", "1e400"), 400, "out of range"),
                row("timeout of 20 digits", "PUT", NS + "/actions/t24", limits("timeout", "99999999999999999999"), 400,
                        "timeout limit must be an integer"),
                // limits at and one past each edge
                row("memory 127 MB", "PUT", NS + "/actions/m127", limits("memory", "127"), 400, "memory limit 127 MB is outside the allowed range 128 to 512 MB"),
                row("memory 128 MB", "PUT", NS + "/actions/m128", limits("memory", "128"), 200, "\"memory\":128"),
                row("memory 512 MB", "PUT", NS + "/actions/m512", limits("memory", "512"), 200, "\"memory\":512"),
                row("memory 513 MB", "PUT", NS + "/actions/m513", limits("memory", "513"), 400, "memory limit 513 MB is outside the allowed range"),
                row("timeout 99 ms", "PUT", NS + "/actions/t99", limits("timeout", "99"), 400, "timeout limit 99 milliseconds is outside the allowed range 100 to 300000"),
                row("timeout 100 ms", "PUT", NS + "/actions/t100", limits("timeout", "100"), 200, "\"timeout\":100"),
                row("timeout 300 s", "PUT", NS + "/actions/t300000", limits("timeout", "300000"), 200, "\"timeout\":300000"),
                row("timeout 300.001 s", "PUT", NS + "/actions/t300001", limits("timeout", "300001"), 400, "timeout limit 300001 milliseconds"),
                row("logs -1 MB", "PUT", NS + "/actions/lminus", limits("logs", "-1"), 400, "logs limit -1 MB is outside the allowed range 0 to 10 MB"),
                row("logs 0 MB", "PUT", NS + "/actions/l0", limits("logs", "0"), 200, "\"logs\":0"),
                row("logs 10 MB", "PUT", NS + "/actions/l10", limits("logs", "10"), 200, "\"logs\":10"),
                row("logs 11 MB", "PUT", NS + "/actions/l11", limits("logs", "11"), 400, "logs limit 11 MB"),
                row("concurrency 0", "PUT", NS + "/actions/c0", limits("concurrency", "0"), 400, "concurrency limit 0 activations is outside the allowed range 1 to 500"),
                row("concurrency 500", "PUT", NS + "/actions/c500", limits("concurrency", "500"), 200, "\"concurrency\":500"),
                row("concurrency 501", "PUT", NS + "/actions/c501", limits("concurrency", "501"), 400, "concurrency limit 501"),
                row("payload at 1 MB", "POST", NS + "/actions/bad-target", payload(MB - 2), null, 202, "activationId"),
                row("payload 1 MB + 1", "POST", NS + "/actions/bad-target", payload(MB - 1), null, 413,
                        "exceeds the payload limit of 1048576 bytes"),
                row("parameters over 1 MB", "PUT", NS + "/actions/bigparams", json(action(",\"parameters\":[{\"key\":\"a\",\"value\":\""
                        + "x".repeat(MB) + "\"}]")), null, 413, "exceeds the payload limit of 1048576 bytes"),
                row("code 48 MB + 1", "PUT", NS + "/actions/bigcode", () -> code(48 * MB + 1), null, 413,
                        "exceeds the code limit of 50331648 bytes"),
                // query parameters
                row("blocking=maybe", "POST", NS + "/actions/bad-target?blocking=maybe", "{}", 400, "'blocking' must be true or false"),
                row("result=2", "POST", NS + "/actions/bad-target?blocking=true&result=2", "{}", 400, "'result' must be true or false"),
                row("timeout=0", "POST", NS + "/actions/bad-target?blocking=true&timeout=0", "{}", 400, "up to 60000"),
                row("timeout one past 60 s", "POST", NS + "/actions/bad-target?blocking=true&timeout=60001", "{}", 400, "up to 60000"),
                row("timeout=soon", "POST", NS + "/actions/bad-target?blocking=true&timeout=soon", "{}", 400, "got 'soon'"),
                row("overwrite=yes", "PUT", NS + "/actions/bad-target?overwrite=yes", action(""), 400, "'overwrite' must be true or false"),
                row("code=nope", "GET", NS + "/actions/bad-target?code=nope", null, 400, "'code' must be true or false"),
                row("list limit 201", "GET", NS + "/actions?limit=201", null, 400, "The value '201' is not in the range of 0 to 200 for actions."),
                row("list limit 200", "GET", NS + "/actions?limit=200", null, 200, "bad-target"),
                row("list limit -1", "GET", NS + "/actions?limit=-1", null, 400, "not in the range of 0 to 200"),
                row("list limit abc", "GET", NS + "/actions?limit=abc", null, 400, "The value 'abc' is not an integer for actions."),
                row("list skip -1", "GET", NS + "/actions?skip=-1", null, 400, "is not greater than or equal to 0 for actions"),
                row("list count=maybe", "GET", NS + "/actions?count=maybe", null, 400, "'count' must be true or false"),
                row("activations limit 201", "GET", NS + "/activations?limit=201", null, 400, "not in the range of 0 to 200 for activations"),
                row("activations since=yesterday", "GET", NS + "/activations?since=yesterday", null, 400, "not a valid value for epoch"),
                row("activations upto=-5", "GET", NS + "/activations?upto=-5", null, 400, "not a valid value for epoch"),
                row("activations name a/b/c", "GET", NS + "/activations?name=a/b/c", null, 400, "'simple' name or 'package-name/simple' name"),
                row("activations count and docs", "GET", NS + "/activations?count=true&docs=true", null, 400,
                        "'docs' is not permitted with 'count'"),
                // conflicts
                row("create without overwrite", "PUT", NS + "/actions/bad-target", action(""), 409, "already exists")));
        return rows.stream();
    }

    private static Supplier<byte[]> payload(int size) {
        return () -> {
            String head = "{\"p\":\"";
            String tail = "\"}";
            return (head + "x".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
        };
    }

    private static byte[] code(int size) {
        return ("{\"exec\":{\"kind\":\"nodejs:default\",\"code\":\"" + "/".repeat(size) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersWithTheRightStatusAndMessage(String name, Case c) {
        WispClient client = c.auth() == null ? wisp : wisp.withAuth(null);
        Map<String, String> headers = c.auth() == null || c.auth().isEmpty() ? Map.of() : Map.of("Authorization", c.auth());
        WispClient.Response r = client.request(c.method(), c.path(), c.body() == null ? null : c.body().get(), headers);
        String shown = r.body().length() > 300 ? r.body().substring(0, 300) + "..." : r.body();
        assertEquals(c.status(), r.status(), name + ": " + shown);
        assertTrue(r.status() < 500, name + " answered " + r.status());
        if (r.status() >= 400) {
            JsonNode body = r.json();
            assertTrue(body.path("error").asText().contains(c.expect()), name + ": " + shown);
            assertFalse(body.path("code").asText().isEmpty(), name + ": error without a code: " + shown);
            if (c.method().equals("PUT") && r.status() != 409 && !c.path().contains("?")) {
                String path = c.path();
                int after = wisp.get(path).status();
                assertTrue(after == 404 || after == 400 || after == 403, name + ": a refused create left " + path
                        + " behind (GET answered " + after + ")");
            }
        } else {
            assertTrue(r.body().contains(c.expect()), name + ": " + shown);
        }
    }
}
