package dev.wisp.it;

import static dev.wisp.it.WispClient.NS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;

/**
 * The hostile tenant again, on a cluster made of the {@code docker/} images, each component in a container of
 * its own (ZooKeeper, Kafka, the store, a controller, an invoker, the gateway) on a control network, as
 * {@code docker/compose.yml} runs them: the invoker puts actions on a network of their own and closes the host
 * through a one-shot container; an action reaches the gateway's API port and nothing else of the control plane,
 * by name or by address.
 */
class ClusterIsolationIT {
    private static final String CONTROL = "wisp-it-ctl";
    private static final String ACTIONS = "wisp-it-act";
    private static final String INVOKER = "it-cluster-invoker";
    private static final String STORE_PASSWORD = UUID.randomUUID().toString();
    private static final Map<String, Integer> CONTROL_PLANE = Map.of(
            "zk", 2181, "kafka", 9092, "store", 5984, "controller", 3234, "invoker", 9100);

    private static Network control;
    private static final List<GenericContainer<?>> started = new ArrayList<>();
    private static GenericContainer<?> controller;
    private static GenericContainer<?> gateway;
    private static ServerSocket hostService;

    @BeforeAll
    static void start() throws IOException {
        WispFixture.release();
        removeLeftovers();
        hostService = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"));
        control = Network.builder().driver("bridge").createNetworkCmdModifier(cmd -> cmd.withName(CONTROL)
                .withOptions(Map.of("com.docker.network.bridge.name", CONTROL))).build();
        control.getId();
        GenericContainer<?> zk = wisp("zk", "zookeeper", "--id=1", "--servers=zk");
        GenericContainer<?> kafka = wisp("kafka", "kafka", "--node.id=1", "--host=kafka", "--voters=1@kafka:9093",
                "--cluster.id=4L6g3nShT-eMCtK--X86sw");
        GenericContainer<?> store = new GenericContainer<>("wisp/pouchdb:latest").withNetwork(control)
                .withNetworkAliases("store").withCreateContainerCmdModifier(cmd -> cmd.withName("wisp-it-store"))
                .withEnv(Map.of("WISP_STORE_USER", "wisp", "WISP_STORE_PASSWORD", STORE_PASSWORD));
        Startables.deepStart(Stream.of(zk, kafka, store)).join();
        started.addAll(List.of(zk, kafka, store));
        controller = wisp("controller", "controller", "--controller.id=controller1", "--controller.host=0.0.0.0",
                "--controller.port=3234", "--controller.advertised.host=controller")
                .waitingFor(Wait.forLogMessage(".*controller controller1 listening.*\\n", 1)
                        .withStartupTimeout(Duration.ofMinutes(3)));
        // the gateway first: the invoker resolves its name once, for the actions (which cannot resolve it)
        gateway = wisp("gateway", "gateway", "--gateway.host=0.0.0.0", "--gateway.port=3233")
                .withExposedPorts(3233);
        Startables.deepStart(Stream.of(controller, gateway)).join();
        started.addAll(List.of(controller, gateway));
        GenericContainer<?> invoker = wisp("invoker", "invoker", "--invoker.name=" + INVOKER,
                "--invoker.publish.ports=false", "--invoker.network=" + ACTIONS, "--invoker.network.control=" + CONTROL,
                "--invoker.network.firewall=docker", "--invoker.api.host=http://gateway:3233",
                "--invoker.admin.host=0.0.0.0", "--invoker.admin.port=9100", "--invoker.memory.mb=1024")
                .withFileSystemBind("/var/run/docker.sock", "/var/run/docker.sock")
                .waitingFor(Wait.forLogMessage(".*ready with.*\\n", 1).withStartupTimeout(Duration.ofMinutes(3)));
        invoker.start();
        started.add(invoker);
    }

    /** What a run that was killed may have left: its containers and networks (names are fixed). */
    private static void removeLeftovers() {
        List<String> ids = new ArrayList<>(DockerCli.withLabel("wisp.invoker=" + INVOKER));
        for (String name : List.of("zk", "kafka", "store", "controller", "invoker", "gateway")) {
            if (!DockerCli.run("ps", "-aq", "--filter", "name=^wisp-it-" + name + "$").isBlank()) {
                ids.add("wisp-it-" + name);
            }
        }
        if (!ids.isEmpty()) {
            List<String> rm = new ArrayList<>(List.of("rm", "-f"));
            rm.addAll(ids);
            DockerCli.run(rm.toArray(String[]::new));
        }
        for (String network : List.of(CONTROL, ACTIONS)) {
            if (!DockerCli.run("network", "ls", "-q", "--filter", "name=^" + network + "$").isBlank()) {
                DockerCli.run("network", "rm", network);
            }
        }
    }

    private static GenericContainer<?> wisp(String name, String... command) {
        return new GenericContainer<>("wisp/wisp:latest")
                .withNetwork(control)
                .withNetworkAliases(name)
                .withCreateContainerCmdModifier(cmd -> cmd.withName("wisp-it-" + name).withHostName(name))
                .withEnv(Map.of("WISP_KAFKA_BOOTSTRAP", "kafka:9092", "WISP_KAFKA_REPLICATION", "1",
                        "WISP_ZOOKEEPER_CONNECT", "zk:2181", "WISP_STORE_URL", "http://store:5984",
                        "WISP_STORE_USER", "wisp", "WISP_STORE_PASSWORD", STORE_PASSWORD, "JAVA_OPTS", "-Xmx256m"))
                .withCommand(command);
    }

    @AfterAll
    static void stop() throws IOException {
        List<GenericContainer<?>> reversed = new ArrayList<>(started);
        java.util.Collections.reverse(reversed);
        reversed.forEach(GenericContainer::stop);
        if (control != null) {
            control.close();
        }
        removeLeftovers();
        hostService.close();
    }

    private static synchronized WispClient user(String name) throws Exception {
        ExecResult r = controller.execInContainer("wisp-run", "admin", "user", "create", name);
        assertEquals(0, r.getExitCode(), r.getStdout() + r.getStderr());
        String[] lines = r.getStdout().trim().split("\n");
        return new WispClient("http://localhost:" + gateway.getMappedPort(3233), lines[lines.length - 1].trim());
    }

    @Test
    void theStoreAnswersItsOwnUserOnly() {
        String store = "http://" + DockerCli.ip("wisp-it-store", CONTROL) + ":5984";
        for (String auth : new String[] {null, "wisp:wrong", "admin:" + STORE_PASSWORD}) {
            WispClient.Response r = new WispClient(store, auth).get("/_all_dbs");
            assertEquals(401, r.status(), auth + " -> " + r);
            assertEquals("unauthorized", r.json().path("error").asText(), r.toString());
        }
        WispClient.Response r = new WispClient(store, "wisp:" + STORE_PASSWORD).get("/_all_dbs");
        assertEquals(200, r.status(), r.toString());
        assertTrue(r.body().contains("wisp_subjects"), "the controller and invoker use it: " + r);
    }

    @Test
    void aHostileActionInTheClusterReachesTheGatewaysApiAndNothingElse() throws Exception {
        WispClient alice = user("alice");
        WispClient mallory = user("mallory");
        await().alias("the gateway routes to the controller").atMost(Duration.ofSeconds(60))
                .until(() -> alice.get("/api/v1/namespaces").status() == 200);

        String secret = UUID.randomUUID().toString();
        assertEquals(200, alice.put(NS + "/actions/keeper", TenantIsolationIT.action(
                "let n = 0; function main(p) { n++; return {n, secret: p.secret}; }", List.of(), 256, 60_000))
                .status());
        assertEquals(secret, TenantIsolationIT.invoke(alice, "keeper", "{\"secret\":\"" + secret + "\"}")
                .path("secret").asText());

        assertEquals(200, mallory.put(NS + "/actions/echo", WispClient.nodeAction("function main(p) { return p; }"))
                .status());
        assertEquals(200, mallory.put(NS + "/triggers/poked", "{}").status());
        assertEquals(200, mallory.put(NS + "/rules/poked-echo", "{\"trigger\":\"poked\",\"action\":\"echo\"}").status());
        assertEquals(200, mallory.put(NS + "/actions/probe", TenantIsolationIT.action(
                TenantIsolationIT.resource("actions/probe.js"), List.of("provide-api-key", true), 256, 30_000)).status());

        ObjectNode params = WispClient.JSON.createObjectNode().put("echo", "echo").put("trigger", "poked");
        ArrayNode ports = params.putArray("ports");
        CONTROL_PLANE.forEach((name, port) -> {
            ports.add(name + ":" + port);                                       // by name
            ports.add(DockerCli.ip("wisp-it-" + name, CONTROL) + ":" + port);  // by address
        });
        ports.add(DockerCli.ip("wisp-it-gateway", CONTROL) + ":9999");         // the gateway's other ports
        Set<String> hosts = new LinkedHashSet<>(TenantIsolationIT.hostAddresses());
        hosts.add(DockerCli.gateway(ACTIONS));
        hosts.add(DockerCli.gateway(CONTROL));
        for (String host : hosts) {
            for (int port : List.of(hostService.getLocalPort(), 2375, 2181, 9092)) {
                ports.add(host + ":" + port);
            }
        }
        ArrayNode containers = params.putArray("containers");
        DockerCli.withLabel("wisp.invoker=" + INVOKER).forEach(id -> containers.add(DockerCli.ip(id, ACTIONS)));
        assertTrue(containers.size() >= 2, "the keeper's container and the stem cells: " + containers);

        JsonNode out = TenantIsolationIT.invoke(mallory, "probe", params.toString());

        TenantIsolationIT.assertNothingReached(out, ports.size());

        assertEquals("http://" + DockerCli.ip("wisp-it-gateway", CONTROL) + ":3233", out.path("apiHost").asText());
        assertEquals("from inside", out.path("invoked").path("hello").asText(), out.toString());
        assertEquals(32, out.path("fired").path("activationId").asText().length(), out.toString());
        String key = out.path("apiKey").asText();
        assertTrue(key.contains(":wisp-act."), key);
        WispClient.Response own = mallory.withAuth(key).get("/api/v1/namespaces");
        assertEquals(200, own.status(), own.toString());
        assertEquals("[\"mallory\"]", own.json().toString());
        assertEquals(403, mallory.withAuth(key).get("/api/v1/namespaces/alice/actions/keeper").status());
        TenantIsolationIT.assertUnauthorized(mallory.withAuth(key.substring(0, key.length() - 2) + "xx")
                .get("/api/v1/namespaces"));

        JsonNode again = TenantIsolationIT.invoke(alice, "keeper", "{\"secret\":\"" + secret + "\"}");
        assertEquals(2, again.path("n").asInt(), "nobody else ran the keeper: " + again);
    }
}
