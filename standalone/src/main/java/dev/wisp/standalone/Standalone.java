package dev.wisp.standalone;

import dev.wisp.common.config.CommonSettings;
import dev.wisp.common.config.Settings;
import dev.wisp.common.entity.Keys;
import dev.wisp.common.entity.Kinds;
import dev.wisp.common.entity.Subject;
import dev.wisp.common.launch.Resources;
import dev.wisp.common.store.CouchStore;
import dev.wisp.controller.Controller;
import dev.wisp.controller.ControllerConfig;
import dev.wisp.controller.catalog.CatalogInstaller;
import dev.wisp.controller.catalog.CatalogStore;
import dev.wisp.controller.catalog.CouchCatalogStore;
import dev.wisp.controller.catalog.SystemCatalog;
import dev.wisp.controller.store.ControllerStores;
import dev.wisp.controller.store.SubjectStore;
import dev.wisp.gateway.EdgeGateway;
import dev.wisp.gateway.GatewayConfig;
import dev.wisp.invoker.Invoker;
import dev.wisp.invoker.InvokerConfig;
import dev.wisp.invoker.InvokerSettings;
import dev.wisp.invoker.docker.BridgeNetwork;
import dev.wisp.invoker.docker.DockerEngine;
import dev.wisp.standalone.kafka.KafkaProcess;
import dev.wisp.standalone.store.PouchDbServer;
import dev.wisp.standalone.zookeeper.EmbeddedZooKeeper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Wisp in one process: a real ZooKeeper server in-process, a real Kafka broker and PouchDB Server (the store) as
 * supervised child processes, and a controller, an invoker and the edge gateway on one Vert.x instance. Actions
 * run in Docker.
 */
public final class Standalone implements AutoCloseable {
    public static final String GUEST = "guest";

    private final StandaloneConfig config;
    private final Consumer<String> progress;
    private final Resources started;
    private Vertx vertx;
    private EdgeGateway gateway;
    private PouchDbServer store;
    private KafkaProcess kafka;
    private String guestAuth;
    private Settings effective;

    public Standalone(StandaloneConfig config, Consumer<String> progress) {
        this.config = config;
        this.progress = progress;
        this.started = new Resources((c, e) -> progress.accept("while stopping: " + e));
    }

    /** Starts everything; on failure stops what already started and throws with the reason. */
    public void start() throws Exception {
        try {
            startAll();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        Path data = config.dataDir();
        Files.createDirectories(data);
        started.add(DataLock.acquire(data));

        // the Kafka broker (a JVM of its own, the slowest), the store and ZooKeeper need nothing from each other:
        // they start at the same time, while this thread checks Docker; the guest namespace and the system catalog
        // go into the store as soon as it serves. The broker's JVM is launched first, even before Vert.x is made
        // (0.1-0.2 s of a start's critical path)
        progress.accept("starting ZooKeeper, Kafka and the store (PouchDB Server)");
        String jit = config.settings().get(StandaloneSettings.JIT);
        boolean c1Alone = KafkaProcess.thisJvmC1Alone();
        KafkaProcess.jitMismatch(jit, c1Alone).ifPresent(progress);
        List<String> brokerJvm = new ArrayList<>(KafkaProcess.jit(jit, c1Alone));
        brokerJvm.addAll(KafkaProcess.options(config.settings().get(StandaloneSettings.KAFKA_JVM)));
        kafka = new KafkaProcess(data.resolve("kafka"), data.resolve("kafka.out"), freePort(), freePort(), brokerJvm);
        store = new PouchDbServer(config.pouchdbBin(), data.resolve("store"), freePort());
        BridgeNetwork network = null;
        EmbeddedZooKeeper zk = null;
        try (ExecutorService starting = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().name("wisp-start-", 0).daemon().factory())) {
            java.util.concurrent.Future<KafkaProcess> kafkaUp = starting.submit(() -> {
                kafka.start(config.settings().get(StandaloneSettings.KAFKA_WAIT));
                return kafka;
            });
            List<java.util.concurrent.Future<? extends AutoCloseable>> ups = new ArrayList<>(List.of(kafkaUp));
            Throwable failed = null;
            try {
                vertx = Vertx.vertx();
                started.add(() -> vertx.close().await());
                ups.add(starting.submit(() -> {
                    store.start(config.settings().get(StandaloneSettings.STORE_WAIT));
                    try {
                        prepareStore(store.url(), data);
                    } catch (Exception | Error e) {
                        store.close();
                        throw e;
                    }
                    return store;
                }));
                network = checkDocker();
                zk = new EmbeddedZooKeeper(data.resolve("zookeeper"), freePort());
                zk.start();
                started.add(zk);
            } catch (Exception | Error e) {
                failed = e;
            }
            // each that started is stopped with the rest if another failed
            for (java.util.concurrent.Future<? extends AutoCloseable> up : ups) {
                try {
                    started.add(up.get());
                } catch (ExecutionException e) {
                    failed = failed == null ? e.getCause() : failed;
                }
            }
            if (failed instanceof Exception e) {
                throw e;
            } else if (failed instanceof Error e) {
                throw e;
            } else if (failed != null) {
                throw new IllegalStateException(failed);
            }
        }

        Settings s = config.settings()
                .with("kafka.bootstrap", kafka.bootstrapServers())
                .with("zookeeper.connect", zk.connectString())
                .with("store.url", store.url())
                .with("controller.port", "0")
                .with("invoker.name", config.settings().string("invoker.name", "standalone"))
                .with("invoker.memory.mb", String.valueOf(config.invokerMemoryMb()))
                .with("docker.host", config.dockerHost())
                .with("gateway.host", config.host())
                .with("gateway.port", String.valueOf(config.port()))
                .with("gateway.actions.host", network.gateway())
                // the invoker shares this host with the action bridge (the gateway listens on its address): it
                // reaches each container at its own address, without a docker-proxy process per container copying
                // every byte of every /run (~0.1 ms of CPU an invoke, issue 17)
                .with("invoker.publish.ports", config.settings().string("invoker.publish.ports", "false"))
                // one developer's machine: OpenWhisk's cluster defaults (60 a minute) would get in the way at once
                .with("limits.invocations.per.minute", config.settings().string("limits.invocations.per.minute", "6000"))
                .with("limits.invocations.concurrent", config.settings().string("limits.invocations.concurrent", "500"))
                .with("limits.fires.per.minute", config.settings().string("limits.fires.per.minute", "6000"));
        writeConnectionFile(data.resolve("standalone.properties"), s);

        effective = s;

        // the gateway first (the invoker needs its port for actions); then the controller and the invoker, which
        // find each other through ZooKeeper, at the same time. Stopped in the opposite order of this one: the
        // invoker, the gateway, the controller
        progress.accept("starting the edge gateway, the controller and the invoker");
        gateway = new EdgeGateway(GatewayConfig.from(s));
        String gatewayDeployment = vertx.deployVerticle(gateway).await();
        // actions reach the API (and nothing else on this host) at the gateway's listener on their network
        Invoker invoker = new Invoker(InvokerConfig.from(s.with("invoker.api.host",
                "http://" + network.gateway() + ":" + gateway.actionsPort())));
        Future<String> controllerUp = vertx.deployVerticle(new Controller(ControllerConfig.from(s)));
        Future<String> invokerUp = vertx.deployVerticle(invoker);
        Future.join(controllerUp, invokerUp).otherwiseEmpty().await();
        if (controllerUp.succeeded()) {
            started.add(() -> vertx.undeploy(controllerUp.result()).await());
        }
        started.add(() -> vertx.undeploy(gatewayDeployment).await());
        if (invokerUp.succeeded()) {
            started.add(() -> vertx.undeploy(invokerUp.result()).await());
        }
        controllerUp.await();
        invokerUp.await();

        // ready means the first request works: the gateway has seen the controller's announcement in ZooKeeper
        long deadline = System.currentTimeMillis() + 30_000;
        while (!gateway.routes()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the edge gateway saw no live controller within 30 s");
            }
            Thread.sleep(20);
        }
    }

    /** Checks the engine and the runtime images, and makes the action network (whose address the gateway needs). */
    private BridgeNetwork checkDocker() {
        DockerEngine docker = new DockerEngine(vertx, config.dockerHost());
        try {
            try {
                docker.ping().await();
            } catch (Exception e) {
                throw new IllegalStateException("The Docker engine at " + config.dockerHost()
                        + " is not reachable. Start it with: scripts/ensure-docker.sh", e);
            }
            for (String image : Kinds.images()) {
                if (!docker.imageExists(image).await()) {
                    throw new IllegalStateException("The runtime image " + image + " is missing. Build it with: "
                            + "runtimes/build.sh");
                }
            }
            BridgeNetwork network = docker.ensureNetwork(config.settings().get(InvokerSettings.NETWORK))
                    .await();
            if (network.gateway() == null) {
                throw new IllegalStateException("The Docker network " + network.name() + " has no IPv4 gateway for"
                        + " actions to reach the API by; remove it (docker network rm " + network.name() + ")");
            }
            return network;
        } finally {
            try {
                docker.close();
            } catch (IOException e) {
                // nothing held
            }
        }
    }

    /**
     * Opens the controller's stores, which makes their databases and views on a new store while the broker still
     * starts (the controller then only checks them: 0.2-0.6 s less before the first answer, issue 17), and through
     * them puts in the guest namespace and the system catalog.
     */
    private void prepareStore(String storeUrl, Path data) throws Exception {
        CouchStore couch = new CouchStore(vertx, storeUrl, null, null, config.settings().get(CommonSettings.STORE_PREFIX));
        try {
            ControllerStores stores = ControllerStores.await(ControllerStores.opening(couch));
            guestAuth = bootstrapGuest(stores.subjects(), data);
            installCatalog(stores);
        } finally {
            couch.close();
        }
    }

    /**
     * Creates the guest namespace on first start and returns its {@code uuid:key}. Only the key's hash is in
     * the store; the plain credentials stay in the data directory, readable by its owner only.
     */
    private static String bootstrapGuest(SubjectStore subjects, Path data) throws IOException {
        Path file = data.resolve("guest.auth");
        if (Files.exists(file) && subjects.getBlocking(GUEST).isPresent()) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        String uuid = Keys.newUuid();
        String key = Keys.newKey();
        subjects.getBlocking(GUEST).ifPresent(s -> {
            throw new IllegalStateException("The store has a guest subject but " + file + " is missing; "
                    + "remove " + data + " to start afresh.");
        });
        subjects.createBlocking(new Subject(GUEST, List.of(new Subject.NamespaceKey(GUEST, uuid, Keys.hash(key))),
                false));
        String auth = uuid + ":" + key;
        Files.writeString(file, auth + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
        return auth;
    }

    /**
     * Installs the system catalog ({@code /whisk.system/utils}, ...) on first start, and on later starts updates
     * what this build changed; before the controller starts, so no cache holds an older version.
     */
    private void installCatalog(ControllerStores stores) {
        CatalogStore catalog = new CouchCatalogStore(stores.entities(), stores.packages());
        CatalogInstaller.Report report = new CatalogInstaller(catalog, path -> Future.succeededFuture())
                .install(SystemCatalog.bundled()).await();
        if (!report.changes().isEmpty()) {
            progress.accept("system catalog: " + report.changes().size() + " entities installed or updated");
        }
    }

    /**
     * Writes where this run's Kafka, ZooKeeper and store listen (their ports change on each start), so that
     * {@code ./wisp admin} and {@code ./wisp fleet} can reach a running standalone.
     */
    private static void writeConnectionFile(Path file, Settings s) throws IOException {
        String text = "# written by ./wisp standalone on each start\n"
                + "kafka.bootstrap=" + s.string("kafka.bootstrap", "") + "\n"
                + "zookeeper.connect=" + s.string("zookeeper.connect", "") + "\n"
                + "store.url=" + s.string("store.url", "") + "\n";
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** The public API's base URL, e.g. {@code http://127.0.0.1:3233}. */
    public String apiHost() {
        return (gateway.https() ? "https://" : "http://") + config.host() + ":" + gateway.port();
    }

    /**
     * The settings the components were started with, including the embedded servers' addresses
     * ({@code kafka.bootstrap}, {@code zookeeper.connect}, {@code store.url}), e.g. for the admin command or an
     * extra controller.
     */
    public Settings settings() {
        return effective;
    }

    /** The store's process (PouchDB Server, a supervised child process). */
    public PouchDbServer store() {
        return store;
    }

    /** The Kafka broker's process (a supervised child process). */
    public KafkaProcess kafka() {
        return kafka;
    }

    /** The guest namespace's {@code uuid:key}. */
    public String guestAuth() {
        return guestAuth;
    }

    private static int freePort() {
        return FreePorts.take();
    }

    @Override
    public void close() {
        started.close();
    }
}
