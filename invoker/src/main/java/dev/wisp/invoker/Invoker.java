package dev.wisp.invoker;

import dev.wisp.common.auth.ActivationKeys;
import dev.wisp.common.kafka.KafkaSender;
import dev.wisp.common.kafka.TopicAdmin;
import dev.wisp.common.kafka.Topics;
import dev.wisp.common.launch.Resources;
import dev.wisp.common.message.InvokerId;
import dev.wisp.common.zookeeper.ClusterSecrets;
import dev.wisp.common.zookeeper.MemberInfo;
import dev.wisp.common.zookeeper.Membership;
import dev.wisp.common.zookeeper.Zk;
import dev.wisp.common.zookeeper.ZkPaths;
import dev.wisp.invoker.activation.ActivationFeed;
import dev.wisp.invoker.activation.ActivationRunner;
import dev.wisp.invoker.activation.RunJournal;
import dev.wisp.invoker.docker.BridgeNetwork;
import dev.wisp.invoker.docker.DockerEngine;
import dev.wisp.invoker.docker.WispImages;
import dev.wisp.invoker.firewall.HostFirewall;
import dev.wisp.invoker.firewall.LocalShell;
import dev.wisp.invoker.health.AdminServer;
import dev.wisp.invoker.health.HealthMonitor;
import dev.wisp.invoker.health.InvokerMetrics;
import dev.wisp.invoker.pool.ContainerPool;
import dev.wisp.invoker.pool.PoolConfig;
import dev.wisp.invoker.runtime.RuntimeClient;
import dev.wisp.invoker.store.InvokerStore;
import dev.wisp.invoker.zookeeper.DrainWatch;
import dev.wisp.invoker.zookeeper.InvokerIds;
import dev.wisp.invoker.zookeeper.OrphanWatch;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One invoker, deployed as a verticle: its context confines the container pool and the feed's bookkeeping.
 * Start-up checks the Docker engine, takes an instance number from ZooKeeper, removes its predecessor's
 * containers, starts consuming, and only then announces itself so controllers send it work. Its announcement
 * is refreshed every heartbeat with its health and load. On an operator's drain request it stops taking work,
 * finishes what it has, leaves the cluster and calls {@code onDrained}.
 */
public final class Invoker extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(Invoker.class);
    private static final Duration HEARTBEAT = Duration.ofSeconds(2);

    private final InvokerConfig config;
    private final Runnable onDrained;
    private final Resources resources = new Resources((r, e) -> LOG.warn("closing {}: {}", r, e.toString()));
    private final InvokerMetrics metrics = new InvokerMetrics();
    private InvokerId id;
    private ContainerPool pool;
    private RuntimeClient runtime;
    private DockerEngine docker;
    private CuratorFramework zk;
    private ActivationKeys activationKeys;
    private String actionsApiHost;
    private ActivationFeed feed;
    private OrphanWatch orphans;
    private HealthMonitor health;
    private AdminServer admin;
    private PersistentNode announcement;
    private DrainWatch drainWatch;
    private int adminPort;
    private boolean draining;
    private long unhealthySince;
    private boolean switching;

    public Invoker(InvokerConfig config) {
        this(config, () -> { });
    }

    public Invoker(InvokerConfig config, Runnable onDrained) {
        this.config = Objects.requireNonNull(config, "config");
        this.onDrained = Objects.requireNonNull(onDrained, "onDrained");
    }

    /** This invoker's id, once started. */
    public InvokerId id() {
        return id;
    }

    @Override
    public Future<?> start() {
        // building docker-java's client loads and initializes much (seconds on a busy machine): not on the loop
        return vertx.executeBlocking(() -> new DockerEngine(vertx, config.dockerHost()), false)
                .compose(engine -> {
                    docker = engine;
                    resources.add(docker);
                    return docker.ping();
                })
                .recover(e -> Future.failedFuture(new IllegalStateException("The Docker engine at "
                        + config.dockerHost() + " is not reachable (" + e.getMessage() + "). Start it, e.g. with"
                        + " scripts/ensure-docker.sh.", e)))
                .compose(v -> {
                    // ZooKeeper, Kafka and the store on a worker while Docker and the firewall close the host to the
                    // action network (one after the other they were most of an invoker's start, issue 17)
                    Future<InvokerStore> connected = vertx.executeBlocking(this::connect, false);
                    Future<Void> closed = vertx.executeBlocking(() -> resolveApiHost(config.apiHost()), false)
                            .compose(host -> {
                                actionsApiHost = host;
                                return closeHost();
                            });
                    return Future.join(connected, closed).map(both -> connected.result());
                })
                .compose(store -> {
                    runtime = new RuntimeClient(vertx);
                    resources.add(runtime);
                    pool = new ContainerPool(vertx, docker, new PoolConfig(id.uniqueName(), config.userMemoryMb(),
                            config.network(), config.publishPorts(), config.pauseGrace(), config.idleTimeout(),
                            config.prewarm(), config.prewarmReclaim(), actionsApiHost, config.cpus(), config.diskMb()), runtime);
                    return pool.start().map(store);
                })
                .compose(store -> {
                    KafkaSender sender = new KafkaSender(config.backends().kafka(), id.toString(), config.sendTimeout());
                    resources.add(sender);
                    RunJournal journal = RunJournal.open(config.journal());
                    resources.add(journal);
                    ActivationRunner runner = new ActivationRunner(vertx, store, pool, runtime, docker,
                            new WispImages(docker, System::currentTimeMillis), sender, id.toString(), config.limits(),
                            config.retries(), journal, metrics, new ActivationRunner.PlatformAccess(actionsApiHost,
                            activationKeys, config.apiKeyGrace()));
                    health = new HealthMonitor(vertx, docker, sender, Topics.invoker(id), HEARTBEAT,
                            Duration.ofSeconds(20), () -> feed != null && (feed.full() || feed.standingAside()),
                            () -> feed == null ? 0 : feed.lastActive(), runner::recordsWaitingSince);
                    resources.add(health);
                    feed = feed(runner, id.instance(), health::pingSeen);
                    resources.add(feed);
                    feed.start();
                    health.start();
                    orphans = new OrphanWatch(vertx, context, zk, id.instance(), config.adoptAfter(), n -> {
                        ActivationFeed adopted = feed(runner, n, ping -> { });
                        adopted.start();
                        return adopted::handBack;
                    });
                    resources.add(orphans);
                    orphans.start();
                    admin = new AdminServer(vertx, metrics, this::gauges);
                    return admin.listen(config.adminHost(), config.adminPort());
                })
                .compose(port -> {
                    adminPort = port;
                    return vertx.executeBlocking(this::announce, false);
                })
                .onSuccess(v -> {
                    vertx.setPeriodic(HEARTBEAT.toMillis(), t -> heartbeat());
                    drainWatch = new DrainWatch(zk, id.toString(), context, this::drain);
                    resources.add(drainWatch);
                    drainWatch.start();
                    LOG.info("{} ({}) ready with {} MB of user memory; admin on port {}", id, id.uniqueName(),
                            config.userMemoryMb(), adminPort);
                });
    }

    /** The feed of invoker {@code instance}'s topic, in that invoker's consumer group. */
    private ActivationFeed feed(ActivationRunner runner, int instance, java.util.function.Consumer<byte[]> pings) {
        return new ActivationFeed(context, config.backends().kafka(), "invoker-" + instance,
                Topics.invoker("invoker" + instance), runner, config.maxInFlight(), pings);
    }

    /**
     * Makes the action network (inter-container traffic off) and closes the Docker host to it but for the API,
     * before any container starts.
     */
    private Future<Void> closeHost() {
        Future<String> control = config.controlNetwork() == null ? Future.succeededFuture(null)
                : docker.network(config.controlNetwork()).map(net -> {
                    if (net.bridge() == null) {
                        throw new IllegalStateException("the control network " + net.name() + " is not a bridge");
                    }
                    return net.bridge();
                });
        return Future.all(docker.ensureNetwork(config.network()), control).compose(both -> {
            BridgeNetwork network = both.resultAt(0);
            if ("off".equals(config.firewall())) {
                LOG.warn("invoker.network.firewall=off: action containers on {} may reach whatever listens on this"
                        + " host, unless the operator closed it otherwise", network.name());
                return Future.succeededFuture();
            }
            HostFirewall.Shell shell = "docker".equals(config.firewall())
                    ? (script, env) -> docker.runOnHost(config.firewallImage(), script, env)
                    : new LocalShell(vertx);
            int apiPort = actionsApiHost == null ? 0 : URI.create(actionsApiHost).getPort();
            return new HostFirewall(shell).apply(new HostFirewall.Rules(network, apiPort, both.resultAt(1)));
        });
    }

    /**
     * The API's URL as action containers use it: a host name in {@code invoker.api.host} is resolved here, since
     * containers on the action network cannot resolve the control plane's names; the port is made explicit.
     */
    private static String resolveApiHost(String url) throws UnknownHostException {
        if (url == null) {
            return null;
        }
        URI uri = URI.create(url);
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        String address = InetAddress.getByName(uri.getHost()).getHostAddress();
        return uri.getScheme() + "://" + address + ":" + port;
    }

    private InvokerStore connect() throws Exception {
        zk = Zk.connect(config.backends().zookeeper(), Duration.ofSeconds(30));
        resources.add(zk::close);
        activationKeys = new ActivationKeys(ClusterSecrets.getOrCreate(zk, ZkPaths.ACTIVATION_KEY_SECRET));
        id = InvokerIds.assign(zk, config.uniqueName());
        try (TopicAdmin topics = new TopicAdmin(config.backends().kafka(), config.backends().kafkaReplication())) {
            topics.ensure(Map.of(Topics.invoker(id), 1, Topics.DEAD_LETTERS, 1));
        }
        InvokerStore store = new InvokerStore(vertx, config.backends().storeUrl(), config.backends().storeUser(),
                config.backends().storePassword(), config.backends().storePrefix(), config.recordLinger());
        resources.add(store);
        return store;
    }

    private AdminServer.Gauges gauges() {
        return new AdminServer.Gauges(config.userMemoryMb(), pool.usedMemoryMb(), pool.size(), pool.stemCells(),
                pool.paused(), pool.queued(), feed.inFlight(), health.healthy(), draining);
    }

    private MemberInfo info() {
        String state = draining ? MemberInfo.DRAINING : health.healthy() ? MemberInfo.HEALTHY : MemberInfo.UNHEALTHY;
        return new MemberInfo(id.toString(), id.uniqueName(), adminPort, config.userMemoryMb(), state,
                pool.usedMemoryMb(), pool.size(), feed.inFlight() + pool.queued(), System.currentTimeMillis());
    }

    private Void announce() {
        announcement = Membership.announce(zk, ZkPaths.INVOKERS_LIVE, info());
        resources.add(announcement::close);
        return null;
    }

    private void heartbeat() {
        MemberInfo now = info();
        vertx.executeBlocking(() -> {
            Membership.update(announcement, now);
            return null;
        }, false);
        standAsideWhileUnhealthy();
    }

    /**
     * An invoker unhealthy for {@link OrphanWatch#UNHEALTHY_MILLIS} leaves its topic's consumer group, so that
     * the healthy invoker adopting the topic gets its partition; healthy again, it joins back (and the adopter
     * hands the topic back).
     */
    private void standAsideWhileUnhealthy() {
        long now = System.currentTimeMillis();
        unhealthySince = health.healthy() ? 0 : unhealthySince == 0 ? now : unhealthySince;
        boolean leave = unhealthySince > 0 && now - unhealthySince >= OrphanWatch.UNHEALTHY_MILLIS
                && !feed.standingAside() && !draining;
        boolean back = health.healthy() && feed.standingAside();
        if (!switching && (leave || back)) {
            switching = true;
            vertx.executeBlocking(() -> {
                if (leave) {
                    feed.standAside();
                } else {
                    feed.rejoin();
                }
                return null;
            }, false).onComplete(ar -> switching = false);
        }
    }

    /**
     * Stops taking work: announces itself draining (controllers stop placing work here), keeps running whatever
     * reaches its topic meanwhile, and once nothing runs and nothing is left to read for a few seconds, leaves.
     */
    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        LOG.info("{} draining: no new work; finishing what it has", id);
        heartbeat();
        long since = System.currentTimeMillis();
        int[] quiet = {0};
        long[] told = {since};
        vertx.setPeriodic(500, t -> {
            quiet[0] = feed.idle() && pool.queued() == 0 ? quiet[0] + 1 : 0;
            long now = System.currentTimeMillis();
            if (quiet[0] == 0 && now - told[0] >= 10_000) {
                told[0] = now;
                LOG.info("{} still draining after {} s: {}, {} waiting for a container", id, (now - since) / 1000,
                        feed.describe(), pool.queued());
            }
            if (quiet[0] >= 6 && now - since >= 5_000) {
                vertx.cancelTimer(t);
                LOG.info("{} drained; leaving the cluster", id);
                // a ZooKeeper call (its retries block while ZooKeeper is away): not on the event loop
                vertx.executeBlocking(() -> {
                    if (drainWatch != null) {
                        drainWatch.done();
                    }
                    return null;
                }, false).onComplete(x -> onDrained.run());
            }
        });
    }

    /**
     * A graceful stop (SIGTERM: a deploy, a scale-down): first takes no more work and lets what runs here finish
     * (adopted topics and its own, each for up to {@link ActivationFeed#HAND_BACK_WAIT}), committing it, so the
     * next owner of the topics starts after it; then removes the containers and closes the rest. Removing the
     * containers first cut the runs under way short, and their records said the action had failed.
     */
    @Override
    public Future<?> stop() {
        Future<Void> handedOn = vertx.executeBlocking(() -> {
            if (orphans != null) {
                orphans.close();
            }
            if (feed != null) {
                feed.handBack();
            }
            return null;
        }, false);
        return handedOn.otherwise(e -> null).compose(x -> {
            Future<Void> closeAdmin = admin == null ? Future.succeededFuture() : admin.close();
            Future<Void> removeContainers = pool == null ? Future.succeededFuture() : pool.close();
            return Future.all(closeAdmin, removeContainers);
        }).otherwise(e -> null).compose(v -> vertx.executeBlocking(() -> {
            resources.close();
            return null;
        }, false));
    }
}
