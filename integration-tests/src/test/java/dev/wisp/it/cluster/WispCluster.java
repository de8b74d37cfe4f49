package dev.wisp.it.cluster;

import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.Keys;
import dev.wisp.common.entity.Subject;
import dev.wisp.common.store.CouchStore;
import dev.wisp.common.zookeeper.MemberInfo;
import dev.wisp.common.zookeeper.ZkPaths;
import dev.wisp.controller.store.SubjectStore;
import dev.wisp.standalone.store.PouchDbServer;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingZooKeeperServer;

/**
 * A Wisp cluster of real processes for fault tests: a ZooKeeper ensemble (in this JVM, killable per server),
 * Kafka broker processes, PouchDB Server, and controller, invoker and gateway JVMs that a test can kill with
 * SIGKILL. Every invoker writes a journal of the activation ids it ran, to count duplicate executions.
 */
public final class WispCluster implements AutoCloseable {
    private final Path dir;
    private final TestingCluster zk;
    private final KafkaBrokers kafka;
    private final PouchDbServer store;
    private final Map<String, JavaProcess> controllers = new LinkedHashMap<>();
    private final Map<String, Integer> controllerPorts = new LinkedHashMap<>();
    private final Map<String, JavaProcess> invokers = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<Links> links = new ArrayList<>();
    private final List<String> controllerArgs = new ArrayList<>();
    private final String adminToken = Keys.newKey();
    private final int invokerMemoryMb;
    private JavaProcess gateway;
    private int gatewayPort;
    private String auth;
    private CuratorFramework client;

    private WispCluster(Path dir, int zkNodes, int brokers, int invokerMemoryMb) throws Exception {
        this.dir = dir;
        this.invokerMemoryMb = invokerMemoryMb;
        // its ports from Ports too: Curator's own come from bind(0), which raced with outgoing connections once
        List<InstanceSpec> zkSpecs = new ArrayList<>();
        for (int i = 0; i < zkNodes; i++) {
            zkSpecs.add(new InstanceSpec(null, Ports.free(), Ports.free(), Ports.free(), true, -1));
        }
        this.zk = new TestingCluster(zkSpecs);
        this.kafka = new KafkaBrokers(dir, brokers);
        Path bin = Path.of(System.getenv().getOrDefault("WISP_HOME", System.getProperty("user.home") + "/.wisp"),
                "tools/pouchdb-server/node_modules/.bin/pouchdb-server");
        this.store = new PouchDbServer(bin, dir.resolve("store"), Ports.free());
    }

    /** A cluster of one of each, invokers of 2 GB; set what the test needs, then {@link Builder#start()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** How large a cluster to start, and with which extra settings. */
    public static final class Builder {
        private int zooKeepers = 1;
        private int brokers = 1;
        private int controllers = 1;
        private int invokers = 1;
        private int invokerMemoryMb = 2048;
        private final List<String> controllerArgs = new ArrayList<>();

        private Builder() {
        }

        /** ZooKeeper servers in the ensemble. */
        public Builder zooKeepers(int n) {
            this.zooKeepers = n;
            return this;
        }

        /** Kafka brokers (topics are replicated up to 3 ways). */
        public Builder brokers(int n) {
            this.brokers = n;
            return this;
        }

        public Builder controllers(int n) {
            this.controllers = n;
            return this;
        }

        public Builder invokers(int n) {
            this.invokers = n;
            return this;
        }

        /** Each invoker's user memory. */
        public Builder invokerMemoryMb(int mb) {
            this.invokerMemoryMb = mb;
            return this;
        }

        /** Extra settings ({@code --key=value}) for every controller. */
        public Builder controllerArgs(String... args) {
            controllerArgs.addAll(List.of(args));
            return this;
        }

        /** Starts ZooKeeper, Kafka, the store, the controllers and invokers, and a gateway in front. */
        public WispCluster start() throws Exception {
            return WispCluster.start(zooKeepers, brokers, controllers, invokers, invokerMemoryMb, controllerArgs);
        }
    }

    private static WispCluster start(int zkNodes, int brokers, int controllers, int invokers, int invokerMemoryMb,
                                     List<String> controllerArgs) throws Exception {
        dev.wisp.it.WispFixture.release();
        Path dir = Files.createTempDirectory("wisp-cluster-");
        WispCluster c = new WispCluster(dir, zkNodes, brokers, invokerMemoryMb);
        c.controllerArgs.addAll(controllerArgs);
        try {
            c.zk.start();
            c.client = dev.wisp.common.zookeeper.Zk.connect(c.zk.getConnectString(), Duration.ofSeconds(30));
            c.kafka.start();
            c.store.start(Duration.ofSeconds(30));
            c.auth = c.createGuest();
            for (int i = 0; i < controllers; i++) {
                c.startController("controller" + i);
            }
            for (int i = 0; i < invokers; i++) {
                c.startInvoker("inv-" + i);
            }
            c.startGateway();
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    private String createGuest() {
        Vertx vertx = Vertx.vertx();
        try (CouchStore couch = new CouchStore(vertx, store.url(), null, null, "wisp_")) {
            String uuid = Keys.newUuid();
            String key = Keys.newKey();
            new SubjectStore(couch).createBlocking(new Subject("guest",
                    List.of(new Subject.NamespaceKey("guest", uuid, Keys.hash(key))), false));
            return uuid + ":" + key;
        } finally {
            vertx.close();
        }
    }

    private List<String> common() {
        return List.of("--kafka.bootstrap=" + kafka.bootstrap(), "--zookeeper.connect=" + zk.getConnectString(),
                "--store.url=" + store.url(), "--kafka.replication=" + Math.min(3, kafka.size()));
    }

    public void startController(String id) throws Exception {
        startController(id, List.of());
    }

    private void startController(String id, List<String> overrides) throws Exception {
        int port = controllerPorts.computeIfAbsent(id, k -> Ports.free());
        List<String> args = new ArrayList<>(common());
        args.addAll(overrides);
        args.add("--controller.id=" + id);
        args.add("--controller.port=" + port);
        args.add("--controller.admin.token=" + adminToken);
        // a load test's traffic is one namespace's: OpenWhisk's per-namespace defaults would throttle it
        args.addAll(List.of("--limits.invocations.per.minute=1000000", "--limits.invocations.concurrent=100000",
                "--limits.fires.per.minute=1000000"));
        args.addAll(controllerArgs);
        JavaProcess p = new JavaProcess(id, "dev.wisp.controller.ControllerMain", args, dir.resolve(id + ".log"));
        controllers.put(id, p.start());
        awaitHttp(port, "/ping", p);
    }

    public void startInvoker(String name) throws Exception {
        launchInvoker(name);
        awaitInvoker(name);
    }

    /**
     * Restarts an invoker (SIGKILL, then start) with its links to Kafka, ZooKeeper and the store through proxies
     * the test can cut; close the returned links only with the cluster.
     */
    public Links restartInvokerBehindLinks(String name) throws Exception {
        Links links = newLinks();
        invokers.get(name).kill9();
        launchInvoker(name, links.settings());
        awaitInvoker(name);
        return links;
    }

    /** As {@link #restartInvokerBehindLinks}, for a controller. */
    public Links restartControllerBehindLinks(String id) throws Exception {
        Links links = newLinks();
        controllers.get(id).kill9();
        startController(id, links.settings());
        return links;
    }

    private Links newLinks() throws IOException {
        Links links = new Links(kafka, zk.getConnectString(), store.url());
        this.links.add(links);
        return links;
    }

    /** Starts an invoker process without waiting for it to register (see {@link #awaitInvoker}). */
    public void launchInvoker(String name) throws Exception {
        launchInvoker(name, List.of());
    }

    private void launchInvoker(String name, List<String> overrides) throws Exception {
        List<String> args = new ArrayList<>(common());
        args.addAll(overrides);
        args.add("--invoker.name=" + name);
        args.add("--invoker.memory.mb=" + invokerMemoryMb);
        args.add("--invoker.prewarm=wisp/action-nodejs:latest=1@" + Math.min(256, invokerMemoryMb / 2));
        args.add("--invoker.journal=" + dir.resolve("journal-" + name + ".txt"));
        JavaProcess p = new JavaProcess(name, "dev.wisp.invoker.InvokerMain", args, dir.resolve(name + ".log"));
        invokers.put(name, p.start());
    }

    /** Waits until the invoker is announced in ZooKeeper, i.e. controllers may send it work. */
    public void awaitInvoker(String name) throws Exception {
        JavaProcess p = invokers.get(name);
        long deadline = System.currentTimeMillis() + 120_000;
        while (liveInvokers().stream().noneMatch(m -> m.host().equals(name))) {
            if (!p.alive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("invoker " + name + " did not register; see " + p.log());
            }
            Thread.sleep(100);
        }
    }

    private void startGateway() throws Exception {
        gatewayPort = Ports.free();
        gateway = new JavaProcess("gateway", "dev.wisp.gateway.GatewayMain",
                // The tests' load generators stand for many clients but all come from 127.0.0.1: a fault that holds
                // invokes for up to the publish timeout (15 s) at 24 a second keeps over 256 connections open.
                List.of("--zookeeper.connect=" + zk.getConnectString(), "--gateway.port=" + gatewayPort,
                        "--gateway.max.connections.per.address=4096"),
                dir.resolve("gateway.log")).start();
        awaitHttp(gatewayPort, "/ping", gateway);
    }

    /** Invokers announced in ZooKeeper now. */
    public List<MemberInfo> liveInvokers() throws Exception {
        List<MemberInfo> out = new ArrayList<>();
        if (client.checkExists().forPath(ZkPaths.INVOKERS_LIVE) == null) {
            return out;
        }
        for (String child : client.getChildren().forPath(ZkPaths.INVOKERS_LIVE)) {
            try {
                out.add(Json.decode(client.getData().forPath(ZkPaths.INVOKERS_LIVE + "/" + child), MemberInfo.class));
            } catch (Exception e) {
                // vanished meanwhile
            }
        }
        return out;
    }

    /** The announced invoker started under this name, e.g. {@code invoker2}, or null when it is not announced. */
    public MemberInfo invoker(String name) throws Exception {
        return liveInvokers().stream().filter(m -> m.host().equals(name)).findFirst().orElse(null);
    }

    public boolean invokerAlive(String name) {
        JavaProcess p = invokers.get(name);
        return p != null && p.alive();
    }

    /** The last lines an invoker's process printed, for a failing assertion's message. */
    public String invokerLogTail(String name, int lines) {
        JavaProcess p = invokers.get(name);
        if (p == null) {
            return "(no invoker " + name + ")";
        }
        try {
            List<String> all = Files.readAllLines(p.log());
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + p.log() + ": " + e + ")";
        }
    }

    /** The id of the controller that holds the alarm leader latch now, or null when none does. */
    public String alarmLeader() throws Exception {
        if (client.checkExists().forPath(ZkPaths.ALARMS_LEADER) == null) {
            return null;
        }
        List<String> latches = new ArrayList<>(client.getChildren().forPath(ZkPaths.ALARMS_LEADER));
        latches.sort(java.util.Comparator.comparing(n -> n.substring(n.lastIndexOf('-') + 1)));
        for (String node : latches) {
            try {
                return new String(client.getData().forPath(ZkPaths.ALARMS_LEADER + "/" + node), StandardCharsets.UTF_8);
            } catch (org.apache.zookeeper.KeeperException.NoNodeException e) {
                // that participant left meanwhile
            }
        }
        return null;
    }

    /** SIGTERM to an invoker, as a deploy or a scale-down sends it; waits for the process to end. */
    public void stopInvoker(String name) throws InterruptedException {
        invokers.get(name).stop();
    }

    public void kill9Invoker(String name) throws InterruptedException {
        invokers.get(name).kill9();
    }

    /** Freezes an invoker's process (SIGSTOP) until {@link #thawInvoker}. */
    public void freezeInvoker(String name) throws IOException, InterruptedException {
        invokers.get(name).signal("STOP");
    }

    public void thawInvoker(String name) throws IOException, InterruptedException {
        invokers.get(name).signal("CONT");
    }

    /** SIGKILL to the store (PouchDB Server), which its supervisor starts again. */
    public void kill9Store() {
        ProcessHandle.of(store.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** Names of the invokers started, in order. */
    public List<String> invokerNames() {
        return List.copyOf(invokers.keySet());
    }

    /** Ids of the controllers started, in order. */
    public List<String> controllerIds() {
        return List.copyOf(controllers.keySet());
    }

    public void kill9Controller(String id) throws InterruptedException {
        controllers.get(id).kill9();
    }

    public KafkaBrokers kafka() {
        return kafka;
    }

    /** Kills the ZooKeeper server that currently leads the ensemble; returns it, for a restart. */
    public InstanceSpec killZooKeeperLeader() throws Exception {
        for (TestingZooKeeperServer s : zk.getServers()) {
            if ("leader".equals(zkMode(s.getInstanceSpec().getPort()))) {
                InstanceSpec spec = s.getInstanceSpec();
                zk.killServer(spec);
                return spec;
            }
        }
        throw new IllegalStateException("no ZooKeeper leader found");
    }

    public void restartZooKeeper(InstanceSpec spec) throws Exception {
        zk.restartServer(spec);
    }

    private static String zkMode(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(2_000);
            OutputStream out = s.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            for (String line : text.split("\n")) {
                if (line.startsWith("Mode:")) {
                    return line.substring(5).trim();
                }
            }
            return "";
        } catch (IOException e) {
            return "";
        }
    }

    public String apiHost() {
        return "http://127.0.0.1:" + gatewayPort;
    }

    /** The API of one controller, bypassing the gateway. */
    public String controllerApi(String id) {
        return "http://127.0.0.1:" + controllerPorts.get(id);
    }

    /** The token of the controllers' {@code /admin} API. */
    public String adminToken() {
        return adminToken;
    }

    public String auth() {
        return auth;
    }

    public String storeUrl() {
        return store.url();
    }

    public Path dir() {
        return dir;
    }

    /** Every activation id the invokers started running, one entry per run. */
    public List<String> journal() throws IOException {
        List<String> all = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("journal-")).toList()) {
                all.addAll(Files.readAllLines(f).stream().filter(l -> !l.isBlank()).toList());
            }
        }
        return all;
    }

    /** The activation ids one invoker started running, in order, one entry per run. */
    public List<String> journal(String invokerName) throws IOException {
        Path f = dir.resolve("journal-" + invokerName + ".txt");
        return Files.exists(f) ? Files.readAllLines(f).stream().filter(l -> !l.isBlank()).toList() : List.of();
    }

    private static void awaitHttp(int port, String path, JavaProcess p) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
                c.setConnectTimeout(300);
                c.setReadTimeout(1_000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            if (!p.alive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(p.name() + " did not come up; see " + p.log());
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>();
        if (gateway != null) {
            all.add(gateway);
        }
        all.addAll(controllers.values());
        all.addAll(invokers.values());
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort
            }
        }
        removeContainers();
        links.forEach(Links::close);
        try {
            kafka.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
        if (client != null) {
            client.close();
        }
        try {
            zk.close();
        } catch (IOException e) {
            // best effort
        }
    }

    private void removeContainers() {
        for (String name : List.copyOf(invokers.keySet())) {
            try {
                Process ps = new ProcessBuilder("docker", "ps", "-aq", "--filter", "label=wisp.invoker=" + name)
                        .redirectErrorStream(true).start();
                List<String> ids = new String(ps.getInputStream().readAllBytes()).lines().filter(l -> !l.isBlank()).toList();
                ps.waitFor();
                if (!ids.isEmpty()) {
                    List<String> rm = new ArrayList<>(List.of("docker", "rm", "-f"));
                    rm.addAll(ids);
                    new ProcessBuilder(rm).redirectErrorStream(true).start().waitFor();
                }
            } catch (IOException | InterruptedException e) {
                // best effort
            }
        }
    }
}
