package dev.wisp.controller.alarm;

import dev.wisp.common.codec.Json;
import dev.wisp.common.zookeeper.ZkPaths;
import dev.wisp.controller.zookeeper.AlarmTicks;
import dev.wisp.controller.zookeeper.Leadership;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires alarm triggers on time from exactly one controller: the holder of a ZooKeeper leader latch. The leader
 * fires every due tick under the tick's deterministic activation id ({@link TickIds}) and records the last fired
 * tick per trigger in ZooKeeper; a new leader starts from those records, so ticks missed while no controller led
 * are fired late. A catch-up of more than {@code cap} ticks fires the latest {@code cap} and reports the rest in
 * the log and in the trigger's state node.
 */
public final class AlarmScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlarmScheduler.class);
    public static final int CATCH_UP_CAP = 1_000;
    private static final long ROUND_MS = 50;
    private static final long RETRY_MS = 1_000;

    private final Leadership leadership;
    private final AlarmTicks ticks;
    private final String id;
    private final AlarmSource source;
    private final AlarmFirer firer;
    private final LongSupplier clock;
    private final long reloadMs;
    private final int cap;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "wisp-alarms"));
    private final ExecutorService firing = Executors.newFixedThreadPool(4, r -> daemon(r, "wisp-alarm-fire"));
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private volatile List<AlarmTrigger> alarms = List.of();
    private volatile long loadedAt = Long.MIN_VALUE;
    private volatile boolean reloadRequested = true;

    /** A trigger's state as last read or written, with its ZooKeeper version, and when to look at it again. */
    private static final class Tracked {
        volatile AlarmState state;
        volatile int version;
        volatile long nextDue;
        volatile long retryAt;
    }

    /**
     * @param leadership the election for {@link ZkPaths#ALARMS_LEADER}, not yet joined
     * @param ticks      where the alarms' states are recorded
     */
    public AlarmScheduler(Leadership leadership, AlarmTicks ticks, String id, AlarmSource source, AlarmFirer firer,
                          LongSupplier clock, long reloadMs, int cap) {
        this.leadership = leadership;
        this.ticks = ticks;
        this.id = id;
        this.source = source;
        this.firer = firer;
        this.clock = clock;
        this.reloadMs = reloadMs;
        this.cap = cap;
    }

    /** Joins the leader election and starts the scheduling loop. Blocking (ZooKeeper). */
    public void start() throws Exception {
        ticks.createRoot();
        leadership.start(() -> {
            LOG.info("{} leads the alarm schedule", id);
            tracked.clear();
            reloadRequested = true;
        }, () -> {
            LOG.info("{} no longer leads the alarm schedule", id);
            tracked.clear();
        });
        timer.scheduleWithFixedDelay(this::round, 0, ROUND_MS, TimeUnit.MILLISECONDS);
    }

    /** Reads the alarm triggers again at the next round, after one was created, changed or deleted. */
    public void reloadSoon() {
        reloadRequested = true;
    }

    /** Whether this controller fires the alarms now. */
    public boolean isLeader() {
        return leadership.held();
    }

    private void round() {
        try {
            if (!isLeader()) {
                tracked.clear();
                return;
            }
            long now = clock.getAsLong();
            if (reloadRequested || now - loadedAt >= reloadMs) {
                reloadRequested = false;
                List<AlarmTrigger> loaded = source.load();
                alarms = loaded;
                loadedAt = now;
                Set<String> names = loaded.stream().map(a -> a.path().docId()).collect(Collectors.toSet());
                tracked.keySet().retainAll(names);
                tracked.values().forEach(t -> t.nextDue = 0);
                forgetDeleted(names);
            }
            for (AlarmTrigger a : alarms) {
                String key = a.path().docId();
                Tracked t = tracked.get(key);
                if (t != null && (now < t.nextDue || now < t.retryAt)) {
                    continue;
                }
                if (busy.add(key)) {
                    firing.execute(() -> {
                        try {
                            process(a);
                        } catch (Exception e) {
                            LOG.warn("alarm {}: {}", key, e.toString());
                        } finally {
                            busy.remove(key);
                        }
                    });
                }
            }
        } catch (Exception e) {
            LOG.warn("alarm round: {}", e.toString());
        }
    }

    /** Fires every due tick of one alarm, oldest first, recording each. */
    void process(AlarmTrigger a) throws Exception {
        String key = a.path().docId();
        Tracked t = tracked.get(key);
        if (t == null) {
            t = read(a);
            tracked.put(key, t);
        }
        if (t.state.since() != a.since()) {
            // the trigger was changed (or deleted and created again): its ticks count from the change
            if (!write(a, t, new AlarmState(Math.max(t.state.lastTick(), a.since()), 0, a.since(),
                    t.state.skipped()))) {
                return;
            }
        }
        long now = clock.getAsLong();
        long until = Math.min(now, a.stopDate());
        long cursor = Math.max(t.state.lastTick(), a.startDate() - 1);
        ArrayDeque<Long> due = new ArrayDeque<>();
        long count = 0;
        long firstSkipped = -1;
        long lastSkipped = -1;
        OptionalLong n;
        while (t.state.fired() + due.size() < a.maxTriggers()
                && (n = a.schedule().next(cursor, a.zone())).isPresent() && n.getAsLong() <= until) {
            cursor = n.getAsLong();
            count++;
            if (due.size() == cap) {
                long s = due.removeFirst();
                firstSkipped = firstSkipped < 0 ? s : firstSkipped;
                lastSkipped = s;
            }
            due.addLast(cursor);
        }
        if (firstSkipped >= 0) {
            long skipped = count - due.size();
            LOG.warn("alarm {}: {} ticks from {} to {} NOT fired: the catch-up after no controller led the schedule "
                    + "exceeds the cap of {} ticks; firing the latest {}", key, skipped, Instant.ofEpochMilli(firstSkipped),
                    Instant.ofEpochMilli(lastSkipped), cap, due.size());
            if (!write(a, t, t.state.skip(firstSkipped, lastSkipped, skipped, now))) {
                return;
            }
            try {
                firer.reportSkipped(a, firstSkipped, lastSkipped, skipped);
            } catch (Exception e) {
                LOG.warn("alarm {}: the record of the {} skipped ticks could not be stored (they are in this log and in"
                        + " {}): {}", key, skipped, path(a), e.toString());
            }
        }
        for (long tick : due) {
            if (!isLeader()) {
                return;
            }
            try {
                firer.fire(a, tick, TickIds.of(a.path(), tick));
            } catch (Exception e) {
                LOG.warn("alarm {}: tick {} not fired yet, trying again: {}", key, Instant.ofEpochMilli(tick), e.toString());
                t.retryAt = clock.getAsLong() + RETRY_MS;
                return;
            }
            if (!write(a, t, t.state.firedAt(tick))) {
                return;
            }
        }
        long last = Math.max(t.state.lastTick(), a.startDate() - 1);
        OptionalLong next = t.state.fired() >= a.maxTriggers() ? OptionalLong.empty() : a.schedule().next(last, a.zone());
        t.nextDue = next.isPresent() && next.getAsLong() <= a.stopDate() ? next.getAsLong() : Long.MAX_VALUE;
    }

    /** Removes the state of alarms that no longer exist (a trigger made again later starts from its creation). */
    private void forgetDeleted(Set<String> names) throws Exception {
        List<String> nodes = ticks.names();
        if (nodes.size() <= names.size()) {
            return;
        }
        for (String node : nodes) {
            if (!names.contains(java.net.URLDecoder.decode(node, StandardCharsets.UTF_8))) {
                ticks.delete(node);
            }
        }
    }

    private Tracked read(AlarmTrigger a) throws Exception {
        String path = path(a);
        Tracked t = new Tracked();
        Optional<AlarmTicks.Versioned> node = ticks.read(path);
        if (node.isPresent()) {
            t.state = Json.decode(node.get().data(), AlarmState.class);
            t.version = node.get().version();
            return t;
        }
        long start = a.since() > 0 ? a.since() : clock.getAsLong();
        t.state = new AlarmState(start, 0, a.since(), List.of());
        if (!ticks.create(path, Json.encode(t.state))) {
            return read(a); // another controller created it first
        }
        t.version = 0;
        return t;
    }

    /** Records a new state; false when someone else wrote it meanwhile (this controller then lets go of it). */
    private boolean write(AlarmTrigger a, Tracked t, AlarmState next) throws Exception {
        OptionalInt version = ticks.write(path(a), Json.encode(next), t.version);
        if (version.isEmpty()) {
            LOG.warn("alarm {}: state changed by another controller; reading it again", a.path());
            tracked.remove(a.path().docId());
            return false;
        }
        t.state = next;
        t.version = version.getAsInt();
        return true;
    }

    static String path(AlarmTrigger a) {
        return ZkPaths.ALARMS_TICKS + "/" + URLEncoder.encode(a.path().docId(), StandardCharsets.UTF_8);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() throws Exception {
        timer.shutdownNow();
        firing.shutdownNow();
        leadership.close();
    }
}
