package dev.wisp.controller;

import dev.wisp.common.auth.ActivationKeys;
import dev.wisp.common.codec.Json;
import dev.wisp.common.kafka.KafkaSender;
import dev.wisp.common.kafka.TopicAdmin;
import dev.wisp.common.kafka.Topics;
import dev.wisp.common.launch.Resources;
import dev.wisp.common.store.CouchStore;
import dev.wisp.common.zookeeper.ClusterSecrets;
import dev.wisp.common.zookeeper.MemberInfo;
import dev.wisp.common.zookeeper.Membership;
import dev.wisp.common.zookeeper.Zk;
import dev.wisp.common.zookeeper.ZkPaths;
import dev.wisp.controller.activation.CompletionFeed;
import dev.wisp.controller.activation.IdempotencyKeys;
import dev.wisp.controller.activation.Invocations;
import dev.wisp.controller.activation.Reaper;
import dev.wisp.controller.activation.ReaperAdoption;
import dev.wisp.controller.activation.SequenceFeed;
import dev.wisp.controller.activation.Sequences;
import dev.wisp.controller.alarm.AlarmScheduler;
import dev.wisp.controller.alarm.TriggerAlarmFirer;
import dev.wisp.controller.api.FleetApi;
import dev.wisp.controller.api.RestApi;
import dev.wisp.controller.cache.EntityCache;
import dev.wisp.controller.cache.Invalidations;
import dev.wisp.controller.entity.ActionResolver;
import dev.wisp.controller.health.PublishHealth;
import dev.wisp.controller.loadbalancer.InvokerPool;
import dev.wisp.controller.loadbalancer.LoadBalancer;
import dev.wisp.controller.metrics.ControllerMetrics;
import dev.wisp.controller.route.RouteRates;
import dev.wisp.controller.store.ActivationStore;
import dev.wisp.controller.store.ControllerStores;
import dev.wisp.controller.store.EntityStore;
import dev.wisp.controller.store.PackageStore;
import dev.wisp.controller.store.SubjectStore;
import dev.wisp.controller.store.TriggerStore;
import dev.wisp.controller.throttle.FireThrottle;
import dev.wisp.controller.throttle.LiveControllers;
import dev.wisp.controller.throttle.Throttle;
import dev.wisp.controller.trigger.FireFeed;
import dev.wisp.controller.trigger.FireProcessor;
import dev.wisp.controller.trigger.TriggerFires;
import dev.wisp.controller.zookeeper.AlarmTicks;
import dev.wisp.controller.zookeeper.DrainRequests;
import dev.wisp.controller.zookeeper.FleetNodes;
import dev.wisp.controller.zookeeper.Incarnations;
import dev.wisp.controller.zookeeper.Leadership;
import dev.wisp.controller.zookeeper.Members;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One controller, deployed as a verticle: the REST API, the stores, the load balancer, the completion feed. Its
 * start connects everything and succeeds when the API listens and the controller is announced in ZooKeeper; its
 * stop leaves the cluster, stops the API and releases every client.
 *
 * <p>One instance serves the API from its one event loop (its context), as the controller always has; the
 * blocking set-up runs on a worker.
 */
public final class Controller extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);
    /** How often the alarm leader reads the alarm triggers again; a new alarm's missed ticks are caught up. */
    private static final long ALARM_RELOAD_MS = 2_000;

    private final ControllerConfig config;
    private final Resources resources = new Resources((r, e) -> LOG.warn("closing {}: {}", r, e.toString()));
    private HttpServer server;
    private CuratorFramework zk;
    private TriggerFires triggerFires;

    public Controller(ControllerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Starts the controller; fails with the reason when any dependency cannot be reached. */
    @Override
    public Future<?> start() {
        return vertx.executeBlocking(this::connect, false).compose(api -> RestApi.serve(vertx,
                        new HttpServerOptions().setHost(config.host()).setPort(config.port())
                                .setCompressionSupported(true).setMaxFormAttributeSize(-1), api))
                .map(s -> {
                    server = s;
                    return null;
                })
                .compose(v -> vertx.executeBlocking(() -> {
                    announce();
                    LOG.info("controller {} listening on {}:{}", config.id(), config.host(), server.actualPort());
                    return null;
                }, false));
    }

    /** The port the API listens on. */
    public int port() {
        return server.actualPort();
    }

    /** Fires triggers durably from inside this controller (alarms); set once the controller started. */
    public TriggerFires triggerFires() {
        return triggerFires;
    }

    private io.vertx.ext.web.Router connect() throws Exception {
        CouchStore store = new CouchStore(vertx, config.backends().storeUrl(), config.backends().storeUser(), config.backends().storePassword(),
                config.backends().storePrefix());
        resources.add(store);
        // the stores open (their databases and views made or checked) while ZooKeeper and Kafka are set up
        CompletableFuture<ControllerStores> opening = ControllerStores.opening(store);
        CuratorFramework zk = Zk.connect(config.backends().zookeeper(), Duration.ofSeconds(30));
        resources.add(zk::close);
        ActivationKeys activationKeys = new ActivationKeys(
                ClusterSecrets.getOrCreate(zk, ZkPaths.ACTIVATION_KEY_SECRET));
        try (TopicAdmin admin = new TopicAdmin(config.backends().kafka(), config.backends().kafkaReplication())) {
            admin.ensure(Map.of(Topics.completions(config.id()), 1, Topics.cacheInvalidation(), 1,
                    Topics.TRIGGER_FIRES, Topics.TRIGGER_FIRES_PARTITIONS, Topics.SEQUENCES, Topics.SEQUENCES_PARTITIONS,
                    Topics.DEAD_LETTERS, 1, Topics.HEALTH, 1));
        }
        KafkaSender sender = new KafkaSender(config.backends().kafka(), config.id(), config.sendTimeout());
        resources.add(sender);
        InvokerPool invokers = new InvokerPool(new Members(zk, ZkPaths.INVOKERS_LIVE), new DrainRequests(zk));
        resources.add(invokers);

        ControllerStores stores = ControllerStores.await(opening);
        SubjectStore subjects = stores.subjects();
        EntityStore entities = stores.entities();
        PackageStore packages = stores.packages();
        ActivationStore activations = stores.activations();
        EntityCache<EntityStore.Stored> cache = new EntityCache<>(entities::getAction, config.cacheTtl(),
                config.cacheMaxEntries(), System::currentTimeMillis);
        EntityCache<PackageStore.Stored> packageCache = new EntityCache<>(packages::get, config.cacheTtl(),
                config.cacheMaxEntries(), System::currentTimeMillis);
        Invalidations invalidations = new Invalidations(config.backends().kafka(), config.id(), cache, sender);
        invalidations.alsoEvictFrom(packageCache);
        resources.add(invalidations);
        invalidations.start();
        LiveControllers controllers = new LiveControllers(new Members(zk, ZkPaths.CONTROLLERS_LIVE));
        resources.add(controllers);
        Throttle throttle = new Throttle(controllers::count);
        long sweeper = vertx.setPeriodic(10_000, t -> throttle.sweep(System.currentTimeMillis()));
        resources.add(() -> vertx.cancelTimer(sweeper));
        CompletionFeed completions = new CompletionFeed(vertx, config.backends().kafka(), config.id());
        resources.add(completions);
        completions.addListener(c -> {
            if (c.activation() != null) {
                activations.completed(c.activation());
            }
        });
        LoadBalancer balancer = new LoadBalancer(invokers, sender, controllers::count);
        long balancerSweep = vertx.setPeriodic(60_000, t -> balancer.sweep(config.limits().timeoutMaxMs() + 600_000L));
        resources.add(() -> vertx.cancelTimer(balancerSweep));
        IdempotencyKeys keys = new IdempotencyKeys(vertx, stores.idempotency(), config.idempotencyTtl(),
                KafkaSender.longestSend(config.sendTimeout()).plusSeconds(5), System::currentTimeMillis);
        long keyPurge = vertx.setPeriodic(600_000, t -> keys.purgeExpired());
        resources.add(() -> vertx.cancelTimer(keyPurge));
        Reaper reaper = new Reaper(config.reaperGrace(), System::currentTimeMillis, activations::putIfAbsent,
                letter -> sender.send(Topics.DEAD_LETTERS, letter.activationId().value(), Json.encode(letter)));
        long reaperSweep = vertx.setPeriodic(5_000, t -> reaper.sweep());
        resources.add(() -> vertx.cancelTimer(reaperSweep));
        ReaperAdoption adoption = new ReaperAdoption(vertx, new Incarnations(zk), config.id(), config.backends().kafka(), reaper,
                activations::recorded, config.limits().timeoutMaxMs(), config.reaperGrace());
        adoption.start();
        resources.add(adoption);
        Invocations invocations = new Invocations(vertx, config.id(), balancer, completions,
                activations, throttle, keys, reaper);
        completions.start();
        Sequences sequences = new Sequences(vertx, config.id(), invocations, new ActionResolver(cache, packageCache),
                activations, sender, completions, keys, config.reaperGrace());
        SequenceFeed sequenceFeed = new SequenceFeed(vertx.getOrCreateContext(), config.backends().kafka(), sequences);
        resources.add(sequenceFeed);
        sequenceFeed.start();
        TriggerStore triggerStore = stores.triggers();
        triggerFires = new TriggerFires(triggerStore, sender);
        FireFeed fireFeed = new FireFeed(vertx.getOrCreateContext(), config.backends().kafka(), new FireProcessor(vertx,
                config.id(), new ActionResolver(cache, packageCache), balancer, activations,
                (fire, sequence, id) -> sequences.start(fire.transactionId(), fire.user(), config.throttles(), sequence,
                        fire.content().deepCopy(), id)));
        resources.add(fireFeed);
        fireFeed.start();
        AlarmScheduler alarms = new AlarmScheduler(new Leadership(zk, ZkPaths.ALARMS_LEADER, config.id()),
                new AlarmTicks(zk), config.id(), stores.alarms(),
                new TriggerAlarmFirer(vertx, triggerFires, activations), System::currentTimeMillis,
                ALARM_RELOAD_MS, AlarmScheduler.CATCH_UP_CAP);
        resources.add(alarms);
        alarms.start();
        this.zk = zk;
        RouteRates routeRates = new RouteRates(controllers::count);
        long routeSweep = vertx.setPeriodic(60_000, t -> routeRates.sweep(System.currentTimeMillis()));
        resources.add(() -> vertx.cancelTimer(routeSweep));
        io.vertx.ext.web.Router router = RestApi.router(vertx, new RestApi.Services(config.limits(), config.throttles(),
                subjects, entities, cache, invalidations, activations, invocations, packages, packageCache,
                new RestApi.Triggers(triggerStore, triggerFires, new FireThrottle(controllers::count), keys),
                sequences, activationKeys, new RestApi.Routes(stores.apis(), routeRates)));
        new ControllerMetrics(() -> invokers.healthy().size(), controllers::count, completions::waiting,
                balancer::inFlightMb).install(router);
        PublishHealth health = new PublishHealth(vertx, sender, config.id(), System::currentTimeMillis);
        resources.add(health);
        health.install(router);
        health.start();
        FleetApi.install(router, vertx, new FleetNodes(zk), config.adminToken());
        return router;
    }

    private void announce() {
        PersistentNode node = Membership.announce(zk, ZkPaths.CONTROLLERS_LIVE,
                new MemberInfo(config.id(), config.advertisedHost(), server.actualPort(), 0, "healthy"));
        resources.add(node::close);
    }

    /** Leaves the cluster, stops the API and releases every client. */
    @Override
    public Future<?> stop() {
        Future<Void> stopServer = server == null ? Future.succeededFuture() : server.close();
        return stopServer.compose(v -> vertx.executeBlocking(() -> {
            resources.close();
            return null;
        }, false));
    }
}
