package dev.wisp.it;

import static dev.wisp.it.WispClient.NS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tenants against each other and against Wisp, on the real standalone: a hostile action of a second namespace
 * tries other tenants' containers, stem cells, every control-plane port and other services on the host, and the
 * Docker socket, while the one way in (the public API with an activation-scoped key) works for its own namespace
 * only and only for a while.
 */
class TenantIsolationIT {
    private static final String COUNTER = """
            let runs = 0;
            function main(p) {
              runs++;
              if (p.secret) globalThis.secret = p.secret;
              return { host: require('os').hostname(), runs, secret: globalThis.secret || null };
            }""";

    private static WispClient guest;
    private static WispClient mallory;
    private static String malloryNs;
    private static ServerSocket hostService;

    @BeforeAll
    static void start() throws IOException {
        guest = WispFixture.client();
        malloryNs = "mallory-" + UUID.randomUUID().toString().substring(0, 8);
        mallory = Admin.newUser(malloryNs);
        // some other service on the Docker host, listening on every address
        hostService = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"));
    }

    @AfterAll
    static void stop() throws IOException {
        hostService.close();
    }

    @Test
    void aHostileActionReachesTheApiAndNothingElse() {
        String secret = UUID.randomUUID().toString();
        assertEquals(200, guest.put(NS + "/actions/keeper", action(COUNTER, List.of(), 256)).status());
        JsonNode warm = invoke(guest, "keeper", "{\"secret\":\"" + secret + "\"}");
        assertEquals(secret, warm.path("secret").asText(), warm.toString());

        assertEquals(200, mallory.put(NS + "/actions/echo", WispClient.nodeAction("function main(p) { return p; }"))
                .status());
        assertEquals(200, mallory.put(NS + "/triggers/poked", "{}").status());
        assertEquals(200, mallory.put(NS + "/rules/poked-echo", "{\"trigger\":\"poked\",\"action\":\"echo\"}").status());
        assertEquals(200, mallory.put(NS + "/actions/probe", action(resource("actions/probe.js"),
                List.of("provide-api-key", true), 256, 20_000)).status());

        String bridge = bridgeGateway();
        Set<String> hosts = new LinkedHashSet<>(hostAddresses());
        hosts.add(bridge);
        ArrayNode ports = WispClient.JSON.createArrayNode();
        for (String host : hosts) {
            for (int port : controlPlanePorts()) {
                ports.add(host + ":" + port);
            }
        }
        ObjectNode params = WispClient.JSON.createObjectNode().put("echo", "echo").put("trigger", "poked");
        params.set("ports", ports);
        ArrayNode containers = params.putArray("containers");
        actionContainers().forEach(c -> containers.add(c.ip()));
        assertTrue(containers.size() >= 2, "the keeper's container and the stem cells: " + containers);

        long before = System.currentTimeMillis();
        JsonNode out = invoke(mallory, "probe", params.toString());

        assertNothingReached(out, ports.size());

        // the one way in: the API, with the rights of the invoking namespace
        assertTrue(out.path("apiHost").asText().startsWith("http://" + bridge + ":"), out.toString());
        assertEquals("from inside", out.path("invoked").path("hello").asText(), out.toString());
        assertEquals(32, out.path("fired").path("activationId").asText().length(), out.toString());
        String key = out.path("apiKey").asText();
        assertTrue(key.contains(":wisp-act."), "an activation-scoped key, never the permanent one: " + key);
        assertNotEquals(mallory.auth(), key);

        WispClient withKey = mallory.withAuth(key);
        WispClient.Response namespaces = withKey.get("/api/v1/namespaces");
        assertEquals(200, namespaces.status(), namespaces.toString());
        assertEquals("[\"" + malloryNs + "\"]", namespaces.json().toString());
        WispClient.Response others = withKey.get("/api/v1/namespaces/guest/actions/keeper");
        assertEquals(403, others.status(), others.toString());

        String forged = key.substring(0, key.length() - 2) + (key.endsWith("A") ? "BB" : "AA");
        assertUnauthorized(withKey.withAuth(forged).get("/api/v1/namespaces"));
        String guestUuid = guest.auth().substring(0, guest.auth().indexOf(':'));
        assertUnauthorized(withKey.withAuth(guestUuid + key.substring(key.indexOf(':'))).get("/api/v1/namespaces"));

        // valid until shortly after the activation's deadline (20 s timeout + 10 s grace), then never again
        await().alias("the activation key expires").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> withKey.get("/api/v1/namespaces").status() == 401);
        assertTrue(System.currentTimeMillis() - before >= 20_000, "not before the deadline");
        assertUnauthorized(withKey.get(NS + "/actions"));

        // the keeper's state was never touched by anyone else
        JsonNode after = invoke(guest, "keeper", "{}");
        assertEquals(warm.path("host").asText(), after.path("host").asText());
        assertEquals(2, after.path("runs").asInt(), after.toString());
        assertEquals(secret, after.path("secret").asText());
    }

    @Test
    void aContainerReachableAnywayRefusesAnyoneButItsInvoker() {
        assertEquals(200, guest.put(NS + "/actions/guarded", action(COUNTER, List.of(), 256)).status());
        JsonNode first = invoke(guest, "guarded", "{\"secret\":\"s3cret\"}");
        List<Container> all = actionContainers();
        Container guarded = all.stream().filter(c -> c.id().startsWith(first.path("host").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + first.path("host") + " in " + all));
        Container another = all.stream().filter(c -> !c.id().equals(guarded.id())).findFirst().orElseThrow();
        // The invoker pauses an idle container after its grace (2 s), and a frozen one answers nothing: once the
        // guarded one is paused (or its pause failed on a busy machine), thaw what is paused, as an attacker
        // would find it running. The invoker takes "not paused" as thawed when it next uses the container.
        long invoked = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> DockerCli.paused(guarded.id()) || System.currentTimeMillis() - invoked > 10_000);
        for (Container c : List.of(guarded, another)) {
            if (DockerCli.paused(c.id())) {
                DockerCli.run("unpause", c.id());
            }
        }

        for (Container c : List.of(guarded, another)) {
            for (String path : List.of("/run", "/init")) {
                for (Map<String, String> headers : List.of(Map.<String, String>of(),
                        Map.of("Authorization", "Bearer not-the-token"))) {
                    WispClient.Response r = new WispClient("http://" + c.runtime(), null).request("POST", path,
                            "{\"value\":{\"code\":\"function main() { return {owned: true}; }\"}}"
                                    .getBytes(StandardCharsets.UTF_8), headers);
                    assertEquals(401, r.status(), c + path + " " + r);
                    assertTrue(r.json().path("error").asText().contains("invoker"), r.toString());
                }
            }
        }
        JsonNode second = invoke(guest, "guarded", "{}");
        assertEquals(2, second.path("runs").asInt(), "the refused /run ran nothing: " + second);
        assertEquals("s3cret", second.path("secret").asText());
    }

    @Test
    void aPublishedActionInvokedFromTwoNamespacesNeverSharesAContainer() {
        assertEquals(200, guest.put(NS + "/packages/shared", "{\"publish\":true}").status());
        assertEquals(200, guest.put(NS + "/actions/shared/counter", action(COUNTER, List.of(), 256)).status());
        JsonNode owners = invoke(guest, "shared/counter", "{\"secret\":\"owner-only\"}");
        assertEquals(1, owners.path("runs").asInt());
        WispClient.Response r = mallory.post("/api/v1/namespaces/guest/actions/shared/counter?blocking=true&result=true",
                "{}");
        assertEquals(200, r.status(), r.toString());
        JsonNode theirs = r.json();
        assertNotEquals(owners.path("host").asText(), theirs.path("host").asText(), "one container for both: " + theirs);
        assertEquals(1, theirs.path("runs").asInt(), theirs.toString());
        assertTrue(theirs.path("secret").isNull(), "the owner's parameters leaked: " + theirs);
        JsonNode ownersAgain = invoke(guest, "shared/counter", "{}");
        assertEquals(owners.path("host").asText(), ownersAgain.path("host").asText());
        assertEquals(2, ownersAgain.path("runs").asInt());
    }

    @Test
    void anActionWithoutTheAnnotationGetsNoKeyButTheApiAddress() {
        WispClient.Response created = mallory.put(NS + "/actions/keyless", WispClient.nodeAction(
                "function main() { return { key: process.env.__OW_API_KEY || null, host: process.env.__OW_API_HOST"
                        + " || null, token: process.env.WISP_RUNTIME_TOKEN || null }; }"));
        assertEquals(200, created.status(), created.toString());
        JsonNode annotation = null;
        for (JsonNode a : created.json().path("annotations")) {
            if (a.path("key").asText().equals("provide-api-key")) {
                annotation = a.path("value");
            }
        }
        assertEquals("false", String.valueOf(annotation), "new actions get provide-api-key: false");
        JsonNode out = invoke(mallory, "keyless", "{}");
        assertTrue(out.path("key").isNull(), out.toString());
        assertTrue(out.path("token").isNull(), "the runtime's token is not the action's: " + out);
        assertTrue(out.path("host").asText().startsWith("http://" + bridgeGateway() + ":"), out.toString());
    }

    @Test
    void wispsOwnImageUnderAnotherNameStillGetsAReadOnlyRootAndAFairCpuShare() {
        String code = "function main() { try { require('fs').writeFileSync('/home/wisp/filler', 'x'.repeat(1024));"
                + " return {wrote: true}; } catch (e) { return {code: e.code, host: require('os').hostname()}; } }";
        ObjectNode body = WispClient.JSON.createObjectNode();
        body.putObject("exec").put("kind", "blackbox").put("image", "wisp/action-nodejs").put("code", code);
        body.putObject("limits").put("memory", 256);
        assertEquals(200, mallory.put(NS + "/actions/renamed", body.toString()).status());
        JsonNode out = invoke(mallory, "renamed", "{}");
        assertEquals("EROFS", out.path("code").asText(), out.toString());
        String id = out.path("host").asText();
        // 256 MB of the fixture's 1024 MB of user memory: a quarter of the CPU weight
        assertEquals("256 true", DockerCli.run("inspect", "-f", "{{.HostConfig.CpuShares}} {{.HostConfig.ReadonlyRootfs}}", id)
                .trim());
    }

    // ------------------------------------------------------------------ helpers

    /** The probe's report: no port it was given answered, no other container answered, no Docker socket. */
    static void assertNothingReached(JsonNode out, int ports) {
        out.path("ports").fields().forEachRemaining(e ->
                assertNotEquals("open", e.getValue().asText(), "the action reached " + e.getKey() + ": " + out));
        assertEquals(ports, out.path("ports").size(), out.toString());
        assertTrue(out.path("containers").size() >= 2, out.toString());
        out.path("containers").fields().forEachRemaining(e -> assertFalse(e.getValue().asText().startsWith("answered"),
                "another container answered " + e.getKey() + ": " + e.getValue()));
        assertFalse(out.path("dockerSocket").asBoolean(), out.toString());
    }

    static void assertUnauthorized(WispClient.Response r) {
        assertEquals(401, r.status(), r.toString());
        assertEquals("The supplied authentication is invalid.", r.json().path("error").asText(), r.toString());
        assertFalse(r.json().path("code").asText().isEmpty(), r.toString());
    }

    static JsonNode invoke(WispClient client, String action, String params) {
        WispClient.Response r = client.post(NS + "/actions/" + action + "?blocking=true&result=true", params);
        assertEquals(200, r.status(), r.toString());
        return r.json();
    }

    private static String action(String code, List<Object> annotation, int memory) {
        return action(code, annotation, memory, 60_000);
    }

    static String action(String code, List<Object> annotation, int memory, int timeout) {
        ObjectNode body = WispClient.JSON.createObjectNode();
        body.putObject("exec").put("kind", "nodejs:default").put("code", code);
        body.putObject("limits").put("memory", memory).put("timeout", timeout);
        if (!annotation.isEmpty()) {
            body.putArray("annotations").addObject().put("key", (String) annotation.get(0))
                    .set("value", WispClient.JSON.valueToTree(annotation.get(1)));
        }
        return body.toString();
    }

    static String resource(String name) {
        try (InputStream in = TenantIsolationIT.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kafka, ZooKeeper, the store, another service on the host, the Docker API's usual port. */
    private static List<Integer> controlPlanePorts() {
        var s = WispFixture.get().settings();
        List<Integer> ports = new ArrayList<>();
        for (String address : List.of(s.string("kafka.bootstrap", ""), s.string("zookeeper.connect", ""))) {
            ports.add(Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
        }
        ports.add(URI.create(s.string("store.url", "")).getPort());
        ports.add(hostService.getLocalPort());
        ports.add(2375);
        return ports;
    }

    /** The host's own IPv4 addresses but loopback (the action network's gateway among them). */
    static List<String> hostAddresses() {
        List<String> out = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                        out.add(a.getHostAddress());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String bridgeGateway() {
        return DockerCli.gateway("wisp-actions");
    }

    /**
     * A container of the fixture's invoker: its address on the action network, and where its runtime listens as
     * the invoker reaches it (the standalone's invoker shares the bridge's host: the address itself, no published
     * port).
     */
    private record Container(String id, String ip, String runtime) {
    }

    private static List<Container> actionContainers() {
        String invoker = WispFixture.get().settings().string("invoker.name", "");
        List<Container> out = new ArrayList<>();
        for (String id : DockerCli.withLabel("wisp.invoker=" + invoker)) {
            String ip = DockerCli.ip(id, "wisp-actions");
            out.add(new Container(id, ip, ip + ":8080"));
        }
        return out;
    }
}
