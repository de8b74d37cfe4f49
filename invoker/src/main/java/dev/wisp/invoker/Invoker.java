package dev.wisp.invoker;

import dev.wisp.common.kafka.KafkaSender;
import dev.wisp.common.kafka.TopicAdmin;
import dev.wisp.common.kafka.Topics;
import dev.wisp.common.message.InvokerId;
import dev.wisp.common.zookeeper.MemberInfo;
import dev.wisp.common.zookeeper.Membership;
import dev.wisp.common.zookeeper.Zk;
import dev.wisp.common.zookeeper.ZkPaths;
import dev.wisp.invoker.activation.ActivationFeed;
import dev.wisp.invoker.activation.ActivationRunner;
import dev.wisp.invoker.activation.RunJournal;
import dev.wisp.invoker.zookeeper.OrphanWatch;
import dev.wisp.invoker.docker.DockerEngine;
import dev.wisp.invoker.pool.ContainerPool;
import dev.wisp.invoker.pool.PoolConfig;
import dev.wisp.invoker.runtime.RuntimeClient;
import dev.wisp.invoker.store.InvokerStore;
import dev.wisp.invoker.zookeeper.InvokerIds;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One invoker, deployed as a verticle: its context confines the container pool and the feed's bookkeeping.
 * Start-up checks the Docker engine, takes an instance number from ZooKeeper, removes its predecessor's
 * containers, starts consuming, and only then announces itself so controllers send it work.
 */
public final class Invoker extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(Invoker.class);

    private final InvokerConfig config;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private InvokerId id;
    private ContainerPool pool;
    private DockerEngine docker;
    private CuratorFramework zk;

    public Invoker(InvokerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** This invoker's id, once started. */
    public InvokerId id() {
        return id;
    }

    @Override
    public Future<?> start() {
        docker = new DockerEngine(vertx, config.dockerHost());
        resources.add(docker);
        return docker.ping()
                .recover(e -> Future.failedFuture(new IllegalStateException("The Docker engine at "
                        + config.dockerHost() + " is not reachable (" + e.getMessage() + "). Start it, e.g. with"
                        + " scripts/ensure-docker.sh.", e)))
                .compose(v -> vertx.executeBlocking(this::connect, false))
                .compose(store -> {
                    pool = new ContainerPool(vertx, docker, new PoolConfig(id.uniqueName(), config.userMemoryMb(),
                            config.network(), config.publishPorts(), config.pauseGrace(), config.idleTimeout(),
                            config.prewarm()));
                    return pool.start().map(store);
                })
                .compose(store -> {
                    RuntimeClient runtime = new RuntimeClient(vertx);
                    resources.add(runtime);
                    KafkaSender sender = new KafkaSender(config.kafka(), id.toString(), Duration.ofSeconds(30));
                    resources.add(sender);
                    RunJournal journal = RunJournal.open(config.journal());
                    resources.add(journal);
                    ActivationRunner runner = new ActivationRunner(vertx, store, pool, runtime, docker, sender,
                            id.toString(), config.limits(), config.retries(), journal);
                    ActivationFeed feed = feed(runner, id.instance());
                    resources.add(feed);
                    feed.start();
                    OrphanWatch orphans = new OrphanWatch(vertx, context, zk, id.instance(), config.adoptAfter(), n -> {
                        ActivationFeed adopted = feed(runner, n);
                        adopted.start();
                        return adopted;
                    });
                    resources.add(orphans);
                    orphans.start();
                    return vertx.executeBlocking(this::announce, false);
                })
                .onSuccess(v -> LOG.info("{} ({}) ready with {} MB of user memory", id, id.uniqueName(),
                        config.userMemoryMb()));
    }

    /** The feed of invoker {@code instance}'s topic, in that invoker's consumer group. */
    private ActivationFeed feed(ActivationRunner runner, int instance) {
        return new ActivationFeed(context, config.kafka(), "invoker-" + instance,
                Topics.invoker("invoker" + instance), runner, config.maxInFlight());
    }

    private InvokerStore connect() throws Exception {
        zk = Zk.connect(config.zookeeper(), Duration.ofSeconds(30));
        resources.add(zk::close);
        id = InvokerIds.assign(zk, config.uniqueName());
        try (TopicAdmin admin = new TopicAdmin(config.kafka(), config.kafkaReplication())) {
            admin.ensure(Topics.invoker(id), 1);
            admin.ensure(Topics.DEAD_LETTERS, 1);
        }
        InvokerStore store = new InvokerStore(vertx, config.storeUrl(), config.storeUser(), config.storePassword(),
                config.storePrefix());
        resources.add(store);
        return store;
    }

    private Void announce() {
        PersistentNode node = Membership.announce(zk, ZkPaths.INVOKERS_LIVE,
                new MemberInfo(id.toString(), id.uniqueName(), 0, config.userMemoryMb(), "healthy"));
        resources.add(node::close);
        return null;
    }

    @Override
    public Future<?> stop() {
        Future<Void> removeContainers = pool == null ? Future.succeededFuture() : pool.close();
        return removeContainers.otherwise(e -> null).compose(v -> vertx.executeBlocking(() -> {
            List<AutoCloseable> reversed = new ArrayList<>(resources);
            Collections.reverse(reversed);
            for (AutoCloseable r : reversed) {
                try {
                    r.close();
                } catch (Exception e) {
                    LOG.warn("closing {}: {}", r, e.toString());
                }
            }
            return null;
        }, false));
    }
}
