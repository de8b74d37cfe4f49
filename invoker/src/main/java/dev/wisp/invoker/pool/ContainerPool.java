package dev.wisp.invoker.pool;

import dev.wisp.invoker.docker.ContainerEngine;
import dev.wisp.invoker.docker.ContainerSpec;
import dev.wisp.invoker.runtime.RuntimeClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invoker's action containers. In order of preference an activation gets: a warm container of its action
 * revision, used by its namespace before, with room (unpaused if needed), a stem cell of its image and memory, or a new container while the
 * user memory allows, evicting idle containers of other actions to make room; beyond that it queues in arrival
 * order. A request whose action has warm containers that are merely busy waits for them instead of starting
 * another, while the queue for them would drain sooner than a container starts (from the action's measured run
 * time and the pool's measured cold starts): a backlog of short activations is run by the containers already
 * warm, not by a container per few requests that a loaded engine takes seconds to start. Requests that wait
 * without a break for a cold start's length (a steady load the warm containers do not keep up with) get one
 * more container per such stretch. At most {@link #MAX_CREATES_AT_ONCE} containers are created at once. Idle
 * containers are paused after a grace and removed after the idle timeout; a stem cell taken is replaced once
 * the first run in it is over. When the memory is full, idle containers that have gone unused a while, or that
 * run an older revision of an action whose newer one was used since, give their memory to a missing stem cell
 * ({@link PoolConfig#reclaimAfter()}) and are the first evicted for a new container: else a pool full of the
 * containers of yesterday's actions, or of each edit of one action, left every new action a cold start.
 * Every method must be called on the invoker's Vert.x context, which confines all state here.
 */
public final class ContainerPool {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerPool.class);
    /** Containers of one action revision that may be starting at once; further requests wait for them. */
    static final int MAX_COLD_STARTS_PER_ACTION = 2;
    /**
     * Containers created for requests at once, over all actions: a loaded Docker engine starts sixteen containers
     * no faster than four, and every one of the sixteen comes late, while four come early and start draining.
     */
    static final int MAX_CREATES_AT_ONCE = 4;
    /**
     * What a container start (create and start by the engine) is taken to cost before the pool has measured one.
     * The action's {@code /init} is left out of the measure: an action that takes long to initialize must not
     * slow how soon other tenants' actions get containers.
     */
    static final long DEFAULT_COLD_START_MILLIS = 1_000;
    /** How long a new stem cell's runtime is given to answer the connection opened ahead for its {@code /init}. */
    static final long STEM_CELL_CONNECT_MILLIS = 30_000;
    /** The longest a taken stem cell's replacement waits for the first run in it to end. */
    static final long STEM_CELL_REPLACE_MAX_DELAY_MILLIS = 1_000;
    public static final String LABEL_INVOKER = "wisp.invoker";
    public static final String LABEL_ACTION = "wisp.action";

    private final Vertx vertx;
    private final ContainerEngine docker;
    private final PoolConfig config;
    private final RuntimeClient runtime;
    private final List<PooledContainer> containers = new ArrayList<>();
    private final Deque<Waiter> queue = new ArrayDeque<>();
    private final Map<String, Integer> creating = new HashMap<>();
    /** Waiting requests per action revision. */
    private final Map<String, Integer> waiting = new HashMap<>();
    /** Since when requests of an action revision have waited without a break (or since its last container start). */
    private final Map<String, Long> backlogSince = new HashMap<>();
    /** Moving average of an activation's run in a warm container, per action revision with a container. */
    private final Map<String, Long> runMillis = new HashMap<>();
    /** Moving average of a container start (create and start by the engine), over every container. */
    private long coldStartMillis = DEFAULT_COLD_START_MILLIS;
    private long sequence;
    /** Containers taken for activations so far (warm or stem cells). */
    private long takes;
    private int usedMemoryMb;
    /** Stem cells being started, per prewarm spec: each spec is filled on its own. */
    private final Map<PrewarmSpec, Integer> startingStemCells = new HashMap<>();
    private long reaper = -1;
    private boolean closed;
    /** Set while stem cells are being refilled: a container removed to make room must not start a second refill. */
    private boolean refilling;
    /**
     * When pausing may resume: a pause that failed or was slow ("unable to freeze" on a busy host) suspends it, as
     * every activation for a container whose pause is under way waits for that pause and then its unpause.
     */
    private long pausingSuspendedUntil;
    /** A pause slower than this suspends pausing. */
    static final long SLOW_PAUSE_MILLIS = 2_000;
    /** How long pausing stays suspended after a failed or slow pause. */
    static final long PAUSE_SUSPENSION_MILLIS = 5 * 60_000;

    /**
     * What an activation needs from the pool.
     *
     * @param key         what a warm container may be reused for: the invoking namespace and the action revision
     * @param wispRuntime the image is one of Wisp's runtimes: a read-only root file system, a tmpfs {@code /tmp}
     *                    and a runtime channel that demands the container's own token
     */
    public record Request(String key, String image, int memoryMb, int concurrency, boolean wispRuntime) {
        /** The key of the containers that may serve {@code namespace}'s activations of one action revision. */
        public static String key(String namespace, String actionDocId, String revision) {
            return namespace + "|" + actionDocId + "@" + revision;
        }
    }

    private record Waiter(Request request, Promise<PooledContainer> promise) {
    }

    public ContainerPool(Vertx vertx, ContainerEngine docker, PoolConfig config) {
        this(vertx, docker, config, null);
    }

    /**
     * @param runtime opens a connection to each stem cell as soon as its runtime answers, for the {@code /init}
     *                that takes it (null: none is opened ahead)
     */
    public ContainerPool(Vertx vertx, ContainerEngine docker, PoolConfig config, RuntimeClient runtime) {
        this.vertx = vertx;
        this.docker = docker;
        this.config = config;
        this.runtime = runtime;
    }

    /** Removes leftovers of an earlier run of this invoker, starts the idle reaper and the stem cells. */
    public Future<Void> start() {
        return docker.ensureNetwork(config.network())
                .onSuccess(net -> {
                    if (!net.isolated()) {
                        LOG.warn("containers on the Docker network {} can reach one another (it was made with"
                                + " inter-container traffic on); remove it (docker network rm {}) and Wisp makes"
                                + " it anew without", net.name(), net.name());
                    }
                })
                .compose(v -> docker.removeLabelled(LABEL_INVOKER, config.invokerName()))
                .map(n -> {
                    if (n > 0) {
                        LOG.info("removed {} leftover containers of {}", n, config.invokerName());
                    }
                    reaper = vertx.setPeriodic(1_000, t -> reapIdle());
                    refillStemCells();
                    return null;
                });
    }

    /**
     * A container for the request: warm, a stem cell, or new (the last two not yet initialized). Fails when the
     * container cannot be started or the request can never fit the user memory.
     */
    public Future<PooledContainer> acquire(Request request) {
        if (closed) {
            // a stopping pool starts nothing (a request that joined a starting container comes back here)
            return Future.failedFuture(new IllegalStateException("invoker shutting down"));
        }
        if (request.memoryMb() > config.userMemoryMb()) {
            return Future.failedFuture(new IllegalStateException("The action needs " + request.memoryMb()
                    + " MB but the invoker has only " + config.userMemoryMb() + " MB of user memory."));
        }
        if (queue.isEmpty() || hasWarmRoom(request.key())) {
            Future<PooledContainer> now = tryAcquire(request);
            if (now != null) {
                return now;
            }
        }
        Promise<PooledContainer> promise = Promise.promise();
        queue.add(new Waiter(request, promise));
        if (waiting.merge(request.key(), 1, Integer::sum) == 1) {
            backlogSince.put(request.key(), System.currentTimeMillis());
        }
        return promise.future();
    }

    private Future<PooledContainer> tryAcquire(Request request) {
        for (PooledContainer c : containers) {
            if (request.key().equals(c.key()) && c.initialized && c.hasRoom()) {
                return use(c);
            }
        }
        for (PooledContainer c : containers) {
            if (request.key().equals(c.key()) && !c.initialized && c.hasRoom()) {
                // Join a container still starting for this action (concurrency > 1) instead of starting another;
                // if it never becomes ready, try again from the start.
                c.active++;
                c.lastTaken = ++takes;
                return c.ready.future().map(c).recover(e -> acquire(request));
            }
        }
        if (waitsForItsOwn(request.key())) {
            return null;
        }
        for (PooledContainer c : containers) {
            if (c.isStemCell() && c.image().equals(request.image()) && c.memoryMb() == request.memoryMb()
                    && request.wispRuntime()) {
                c.assign(request.key(), request.concurrency());
                Future<PooledContainer> taken = use(c);
                replaceLater(c);
                return taken;
            }
        }
        if (creatingNow() >= MAX_CREATES_AT_ONCE || !makeRoom(request.memoryMb())) {
            return null;
        }
        backlogSince.computeIfPresent(request.key(), (k, t) -> System.currentTimeMillis()); // the next waits anew
        creating.merge(request.key(), 1, Integer::sum);
        return create(request.image(), request.memoryMb(), request.wispRuntime(), false)
                .map(c -> {
                    c.assign(request.key(), request.concurrency());
                    c.active = 1;
                    c.lastTaken = ++takes;
                    return c;
                })
                .onComplete(ar -> {
                    creating.computeIfPresent(request.key(), (k, n) -> n <= 1 ? null : n - 1);
                    serveQueue(); // a create fewer under way: a request held back by the cap may start one
                });
    }

    private Future<PooledContainer> use(PooledContainer c) {
        c.active++;
        c.lastTaken = ++takes;
        c.lastUsed = System.currentTimeMillis();
        if (c.pauseTimer >= 0) {
            vertx.cancelTimer(c.pauseTimer);
            c.pauseTimer = -1;
        }
        if (c.paused) {
            c.paused = false;
            c.transition = c.transition.compose(v -> docker.unpause(c.id()));
        }
        return c.transition.map(c).recover(e -> {
            // a container the engine could not thaw serves no one: it goes, memory and all (kept, it would hold
            // its memory for good and fail every later request for its action)
            LOG.warn("could not unpause {}: {}", c.name(), e.toString());
            c.active = Math.max(0, c.active - 1);
            destroy(c);
            return Future.failedFuture(e);
        });
    }

    /**
     * Whether a request that found no free container must wait for its action's own containers rather than start
     * one: a burst waits for the containers already starting instead of starting one per request, and a queue
     * that the busy warm containers drain sooner than a cold start takes waits for them, unless requests have
     * waited for them without a break for as long as a cold start takes (a steady load they do not keep up with,
     * or a warm container stuck in a long run): then one more container starts, and the next only after another
     * such stretch.
     */
    private boolean waitsForItsOwn(String key) {
        if (startingFor(key) >= MAX_COLD_STARTS_PER_ACTION) {
            return true;
        }
        Long run = runMillis.get(key);
        int slots = warmSlots(key);
        if (run == null || slots == 0) {
            return false;
        }
        long now = System.currentTimeMillis();
        Long backlog = backlogSince.get(key);
        if (backlog != null && now - backlog >= coldStartMillis) {
            return false;
        }
        long drain = (waiting.getOrDefault(key, 0) + 1L) * run / slots;
        return drain < coldStartMillis;
    }

    /** Activations the initialized containers of this action revision can run at once. */
    private int warmSlots(String key) {
        int n = 0;
        for (PooledContainer c : containers) {
            if (key.equals(c.key()) && c.initialized) {
                n += c.maxConcurrency();
            }
        }
        return n;
    }

    /** Containers being created for requests, over all actions. */
    private int creatingNow() {
        int n = 0;
        for (int k : creating.values()) {
            n += k;
        }
        return n;
    }

    /** Containers of this action revision not yet initialized, including ones still being created. */
    private int startingFor(String key) {
        int n = creating.getOrDefault(key, 0);
        for (PooledContainer c : containers) {
            if (key.equals(c.key()) && !c.initialized) {
                n++;
            }
        }
        return n;
    }

    /** Marks a container initialized and lets requests waiting for it, or for capacity, proceed. */
    public void initialized(PooledContainer c) {
        c.markInitialized();
        serveQueue();
    }

    /** A moving average that follows a changed engine or action within a few samples. */
    private static long average(long previous, long sample) {
        return (3 * previous + Math.max(0, sample)) / 4;
    }

    /** Evicts idle containers, stem cells first, until {@code memoryMb} fits; false if it cannot. */
    private boolean makeRoom(int memoryMb) {
        while (usedMemoryMb + memoryMb > config.userMemoryMb()) {
            PooledContainer idle = evictionCandidate();
            if (idle == null) {
                return false;
            }
            remove(idle, "evicted");
        }
        return true;
    }

    /**
     * The idle container to give up first: a reclaimable one ({@link #reclaimable}), then a stem cell, then a
     * second container of an action that keeps another (the action stays warm), then the one unused longest. Plain
     * least-recently-used alone thrashes under a round robin over more actions than fit with their extra
     * containers: the container unused longest is the one the turn needs next, so each eviction made for a burst's
     * extra container cost a cold start a moment later.
     */
    private PooledContainer evictionCandidate() {
        Map<String, Integer> perAction = new HashMap<>();
        for (PooledContainer c : containers) {
            if (!c.isStemCell() && c.initialized) {
                perAction.merge(c.key(), 1, Integer::sum);
            }
        }
        long now = System.currentTimeMillis();
        Map<String, String> latest = config.reclaimAfter().isZero() ? Map.of() : latestRevisions();
        PooledContainer best = null;
        int bestRank = Integer.MAX_VALUE;
        for (PooledContainer c : containers) {
            if (c.active > 0) {
                continue;
            }
            int rank = reclaimable(c, now, latest) ? 0 : c.isStemCell() ? 1
                    : c.initialized && perAction.getOrDefault(c.key(), 0) > 1 ? 2 : 3;
            if (best == null || rank < bestRank || (rank == bestRank && c.lastUsed < best.lastUsed)) {
                best = c;
                bestRank = rank;
            }
        }
        return best;
    }

    /**
     * Starts a container; a stem cell's runtime warms up its own paths before it opens its port (Wisp's Node.js
     * runtime: an /init and a few runs of a throwaway action, tens of ms), while a container a request waits for
     * skips that and opens its port at once.
     */
    private Future<PooledContainer> create(String image, int memoryMb, boolean wispRuntime, boolean stemCell) {
        usedMemoryMb += memoryMb;
        String name = "wisp_" + config.invokerName().replaceAll("[^a-zA-Z0-9_.-]", "_") + "_" + (++sequence);
        Map<String, String> env = new HashMap<>();
        String token = wispRuntime ? RuntimeClient.newToken() : null;
        if (token != null) {
            env.put(RuntimeClient.TOKEN_ENV, token);
        }
        if (wispRuntime && !stemCell) {
            env.put(RuntimeClient.WARMUP_ENV, "0");
        }
        if (config.apiHost() != null) {
            env.put("__OW_API_HOST", config.apiHost());
        }
        ContainerSpec spec = new ContainerSpec(name, image, memoryMb, config.network(),
                Map.of(LABEL_INVOKER, config.invokerName()), env, config.publishPorts(), wispRuntime,
                config.cpuShares(memoryMb), config.cpus(), config.diskMb());
        long asked = System.currentTimeMillis();
        return docker.start(spec)
                .map(started -> {
                    coldStartMillis = average(coldStartMillis, System.currentTimeMillis() - asked);
                    PooledContainer c = new PooledContainer(started, image, memoryMb, wispRuntime, token);
                    if (closed) {
                        docker.remove(started.id());
                        throw new IllegalStateException("invoker shutting down");
                    }
                    containers.add(c);
                    return c;
                })
                .onFailure(e -> {
                    usedMemoryMb -= memoryMb;
                    serveQueue();
                });
    }

    /**
     * Replaces a stem cell just taken once the new action's first run is over (its first release), or after
     * {@link #STEM_CELL_REPLACE_MAX_DELAY_MILLIS} if that run is long, not at once: starting the replacement (the
     * engine's create and start, the runtime's boot) keeps a core busy for much of a second, which the action's
     * {@code /init} and first run would share. On two cores that doubled a new Node.js action's first result.
     */
    private void replaceLater(PooledContainer taken) {
        taken.replaceOnRelease = true;
        vertx.setTimer(STEM_CELL_REPLACE_MAX_DELAY_MILLIS, t -> replaceStemCell(taken));
    }

    private void replaceStemCell(PooledContainer taken) {
        if (taken.replaceOnRelease) {
            taken.replaceOnRelease = false;
            refillStemCells();
        }
    }

    private void refillStemCells() {
        refillStemCells(false);
    }

    /**
     * Starts the missing stem cells that fit, or that fit once reclaimable containers are removed.
     *
     * @param reclaimOnly only those that need reclaimed memory (the reaper's tick: one that failed to start in
     *                    free memory is not tried again every second)
     */
    private void refillStemCells(boolean reclaimOnly) {
        if (refilling) {
            return;
        }
        refilling = true;
        try {
            fillStemCells(reclaimOnly);
        } finally {
            refilling = false;
        }
    }

    private void fillStemCells(boolean reclaimOnly) {
        for (PrewarmSpec spec : config.prewarm()) {
            long have = containers.stream().filter(c -> c.isStemCell() && c.image().equals(spec.image())
                    && c.memoryMb() == spec.memoryMb()).count();
            for (long i = have + startingStemCells.getOrDefault(spec, 0); i < spec.count(); i++) {
                boolean fits = usedMemoryMb + spec.memoryMb() <= config.userMemoryMb();
                if (closed || (reclaimOnly && fits) || (!fits && !reclaim(spec.memoryMb()))) {
                    break;
                }
                startingStemCells.merge(spec, 1, Integer::sum);
                create(spec.image(), spec.memoryMb(), true, true)
                        .onComplete(ar -> {
                            startingStemCells.computeIfPresent(spec, (k, n) -> n <= 1 ? null : n - 1);
                            if (ar.failed()) {
                                LOG.warn("could not start a stem cell of {}: {}", spec.image(), ar.cause().toString());
                            } else {
                                PooledContainer c = ar.result();
                                if (runtime != null) {
                                    runtime.connectAhead(c.endpoint(), STEM_CELL_CONNECT_MILLIS,
                                            () -> c.isStemCell() && containers.contains(c));
                                }
                                serveQueue();
                            }
                        });
            }
        }
    }

    /**
     * Removes reclaimable containers, the unused longest first, until {@code memoryMb} fits; removes none and
     * answers false if they cannot make it fit, while requests wait (the memory is theirs first), or when reclaiming
     * is off.
     */
    private boolean reclaim(int memoryMb) {
        if (!queue.isEmpty() || config.reclaimAfter().isZero()) {
            return false;
        }
        long now = System.currentTimeMillis();
        Map<String, String> latest = latestRevisions();
        List<PooledContainer> idle = new ArrayList<>();
        int free = config.userMemoryMb() - usedMemoryMb;
        for (PooledContainer c : containers) {
            if (reclaimable(c, now, latest)) {
                idle.add(c);
                free += c.memoryMb();
            }
        }
        if (free < memoryMb) {
            return false;
        }
        idle.sort(Comparator.comparingLong(c -> c.lastUsed));
        for (PooledContainer c : idle) {
            if (usedMemoryMb + memoryMb <= config.userMemoryMb()) {
                break;
            }
            remove(c, "reclaimed for a stem cell");
        }
        return true;
    }

    /**
     * Whether an idle container is worth less than a stem cell: unused for {@link PoolConfig#reclaimAfter()}, or
     * running an older revision of an action whose other revision was used since (an updated action: its old
     * containers serve no one again). Never while reclaiming is off.
     *
     * @param latest {@link #latestRevisions()}
     */
    private boolean reclaimable(PooledContainer c, long now, Map<String, String> latest) {
        long after = config.reclaimAfter().toMillis();
        if (after <= 0 || c.active > 0 || c.isStemCell()) {
            return false;
        }
        return now - c.lastUsed >= after || !c.key().equals(latest.get(actionOf(c.key())));
    }

    /** Per action (its namespace and name, not its revision), the key of the container taken last. */
    private Map<String, String> latestRevisions() {
        Map<String, PooledContainer> last = new HashMap<>();
        for (PooledContainer c : containers) {
            if (!c.isStemCell()) {
                last.merge(actionOf(c.key()), c, (a, b) -> b.lastTaken > a.lastTaken ? b : a);
            }
        }
        Map<String, String> keys = new HashMap<>();
        last.forEach((action, c) -> keys.put(action, c.key()));
        return keys;
    }

    /** A {@link Request#key}'s namespace and action, without the revision. */
    private static String actionOf(String key) {
        int at = key.lastIndexOf('@');
        return at < 0 ? key : key.substring(0, at);
    }

    /** Gives a container back after an activation; it stays warm for the next one, paused after the grace. */
    public void release(PooledContainer c) {
        release(c, -1);
    }

    /**
     * As {@link #release(PooledContainer)}, with how long the activation ran in it (negative: not known), which
     * tells how soon the action's busy containers serve the requests waiting for them.
     */
    public void release(PooledContainer c, long ranMillis) {
        replaceStemCell(c);
        if (ranMillis >= 0 && c.key() != null && containers.contains(c)) {
            runMillis.merge(c.key(), ranMillis, ContainerPool::average);
        }
        c.active = Math.max(0, c.active - 1);
        c.lastUsed = System.currentTimeMillis();
        if (c.active == 0 && containers.contains(c) && pausing(c.lastUsed)) {
            c.pauseTimer = vertx.setTimer(config.pauseGrace().toMillis(), t -> pause(c));
        }
        serveQueue();
    }

    private void pause(PooledContainer c) {
        c.pauseTimer = -1;
        if (c.active == 0 && !c.paused && containers.contains(c) && pausing(System.currentTimeMillis())) {
            c.paused = true;
            c.transition = c.transition.compose(v -> {
                long asked = System.currentTimeMillis();
                return docker.pause(c.id()).onSuccess(x -> {
                    long took = System.currentTimeMillis() - asked;
                    if (took > SLOW_PAUSE_MILLIS) {
                        suspendPausing("pausing " + c.name() + " took " + took + " ms");
                    }
                });
            }).recover(e -> {
                LOG.warn("could not pause {}: {}", c.name(), e.toString());
                c.paused = false;
                suspendPausing("docker could not pause " + c.name());
                return Future.succeededFuture();
            });
        }
    }

    /** Whether idle containers are paused at {@code now}: a grace is set and no failed or slow pause suspended it. */
    private boolean pausing(long now) {
        return !config.pauseGrace().isZero() && now >= pausingSuspendedUntil;
    }

    private void suspendPausing(String why) {
        long now = System.currentTimeMillis();
        if (now >= pausingSuspendedUntil) {
            LOG.warn("{}: idle containers are not paused for the next {} s", why, PAUSE_SUSPENSION_MILLIS / 1000);
        }
        pausingSuspendedUntil = now + PAUSE_SUSPENSION_MILLIS;
    }

    /** Removes a container that must not be reused (timed out, crashed, failed init). */
    public void destroy(PooledContainer c) {
        remove(c, "destroyed");
        serveQueue();
    }

    private void remove(PooledContainer c, String why) {
        c.ready.tryFail("container " + c.name() + " " + why);
        if (containers.remove(c)) {
            LOG.debug("{} container {} of {}", why, c.name(), c.key());
            usedMemoryMb -= c.memoryMb();
            if (c.key() != null && containers.stream().noneMatch(o -> c.key().equals(o.key()))) {
                runMillis.remove(c.key());
            }
            if (c.pauseTimer >= 0) {
                vertx.cancelTimer(c.pauseTimer);
            }
            docker.remove(c.id()).onFailure(e -> LOG.warn("could not remove {}: {}", c.name(), e.toString()));
        }
        replaceStemCell(c);
    }

    /**
     * Serves waiting requests in arrival order. One that cannot be served yet does not hold back later ones for
     * other actions, unless it waits for memory: then later ones wait too, so a big action is not starved.
     */
    private void serveQueue() {
        boolean memoryShort = false;
        for (Iterator<Waiter> it = queue.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (memoryShort && !hasWarmRoom(w.request().key())) {
                continue;
            }
            Future<PooledContainer> f = tryAcquire(w.request());
            if (f == null) {
                memoryShort |= !waitsForItsOwn(w.request().key());
                continue;
            }
            it.remove();
            if (waiting.computeIfPresent(w.request().key(), (k, n) -> n <= 1 ? null : n - 1) == null) {
                backlogSince.remove(w.request().key());
            }
            f.onComplete(w.promise());
        }
    }

    private boolean hasWarmRoom(String key) {
        for (PooledContainer c : containers) {
            if (key.equals(c.key()) && c.hasRoom()) {
                return true;
            }
        }
        return false;
    }

    private void reapIdle() {
        long cutoff = System.currentTimeMillis() - config.idleTimeout().toMillis();
        for (PooledContainer c : List.copyOf(containers)) {
            if (c.active == 0 && !c.isStemCell() && c.lastUsed < cutoff) {
                remove(c, "idle");
            }
        }
        if (!queue.isEmpty()) {
            serveQueue(); // requests that waited for busy containers as long as a cold start takes start one
        } else if (!config.reclaimAfter().isZero()) {
            refillStemCells(true); // containers that became reclaimable make room for a missing stem cell
        }
    }

    /** Containers in the pool (stem cells included). */
    public int size() {
        return containers.size();
    }

    /** Ready stem cells. */
    public int stemCells() {
        return (int) containers.stream().filter(PooledContainer::isStemCell).count();
    }

    /** Paused containers. */
    public int paused() {
        return (int) containers.stream().filter(c -> c.paused).count();
    }

    /** Whether the pool was closed (the invoker is stopping): its containers are gone. */
    public boolean closed() {
        return closed;
    }

    public int queued() {
        return queue.size();
    }

    public int usedMemoryMb() {
        return usedMemoryMb;
    }

    /** Removes every container of this invoker and fails queued requests. */
    public Future<Void> close() {
        closed = true;
        if (reaper >= 0) {
            vertx.cancelTimer(reaper);
        }
        containers.forEach(c -> {
            if (c.pauseTimer >= 0) {
                vertx.cancelTimer(c.pauseTimer);
            }
            // requests that joined a container still starting would otherwise wait for it forever
            c.ready.tryFail("invoker shutting down");
        });
        containers.clear();
        usedMemoryMb = 0;
        queue.forEach(w -> w.promise().tryFail("invoker shutting down"));
        queue.clear();
        waiting.clear();
        backlogSince.clear();
        return docker.removeLabelled(LABEL_INVOKER, config.invokerName()).mapEmpty();
    }
}
