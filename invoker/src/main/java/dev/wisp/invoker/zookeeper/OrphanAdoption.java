package dev.wisp.invoker.zookeeper;

import dev.wisp.common.zookeeper.MemberInfo;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link OrphanWatch}'s decisions, apart from ZooKeeper: which invokers' topics this invoker adopts and when it
 * hands them back. What ZooKeeper says ({@link #known}, {@link #members}) may arrive on any thread;
 * {@link #reconcile} runs on the invoker's context, with the time passed in.
 */
final class OrphanAdoption {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanAdoption.class);

    private final int self;
    private final Duration grace;
    private final IntFunction<AutoCloseable> adopt;
    private final Consumer<AutoCloseable> handBack;
    private final Map<Integer, Long> goneSince = new HashMap<>();
    private final Map<Integer, Long> seenAlive = new HashMap<>();
    private final Map<Integer, AutoCloseable> adopted = new HashMap<>();
    /** Known invokers by number, with when each last took its number (i.e. last started). */
    private volatile Map<Integer, Long> known = Map.of();
    private volatile Set<Integer> alive = Set.of();
    /** Live invokers announcing themselves unhealthy, with since when (as this watch first saw it). */
    private final Map<Integer, Long> unhealthySince = new ConcurrentHashMap<>();

    /**
     * @param adopt    starts consuming the given invoker's topic and returns the handle that stops it
     * @param handBack stops an adopted feed, given its handle
     */
    OrphanAdoption(int self, Duration grace, IntFunction<AutoCloseable> adopt, Consumer<AutoCloseable> handBack) {
        this.self = self;
        this.grace = grace;
        this.adopt = adopt;
        this.handBack = handBack;
    }

    /** The invokers that took a number, each with when it last did. */
    void known(Map<Integer, Long> numbers) {
        known = Map.copyOf(numbers);
    }

    /** The live members (controllers are ignored), as of {@code now}. */
    void members(Collection<MemberInfo> members, long now) {
        Set<Integer> n = new HashSet<>();
        Set<Integer> unhealthy = new HashSet<>();
        members.forEach(m -> {
            if (m.id().startsWith("invoker")) { // a draining invoker still consumes its own topic
                try {
                    int id = Integer.parseInt(m.id().substring("invoker".length()));
                    n.add(id);
                    if (MemberInfo.UNHEALTHY.equals(m.state())) {
                        unhealthy.add(id);
                    }
                } catch (NumberFormatException e) {
                    // not an invoker name
                }
            }
        });
        unhealthySince.keySet().retainAll(unhealthy);
        unhealthy.forEach(id -> unhealthySince.putIfAbsent(id, now));
        alive = Set.copyOf(n);
    }

    /** Live invokers that work: announced, and not unhealthy for longer than {@link OrphanWatch#UNHEALTHY_MILLIS}. */
    private Set<Integer> working(long now) {
        Set<Integer> out = new HashSet<>(alive);
        unhealthySince.forEach((id, since) -> {
            if (now - since >= OrphanWatch.UNHEALTHY_MILLIS) {
                out.remove(id);
            }
        });
        return out;
    }

    /** Adopts the topics now orphaned and hands back those whose owner works again (or that another adopts). */
    void reconcile(long now) {
        Set<Integer> liveNow = working(now);
        // only a healthy invoker adopts: the lowest-numbered one that has not been unhealthy at all
        int adopter = liveNow.stream().filter(id -> !unhealthySince.containsKey(id)).mapToInt(Integer::intValue)
                .min().orElse(-1);
        for (Map.Entry<Integer, Long> k : known.entrySet()) {
            int id = k.getKey();
            if (id == self || liveNow.contains(id)) {
                goneSince.remove(id);
                seenAlive.put(id, now);
                continue;
            }
            // An invoker takes its number well before it announces itself (Docker, topics, stem cells first):
            // while one that (re)started and was not seen alive since is starting, its topic is left to it rather
            // than adopted and handed back a moment later.
            long started = k.getValue();
            boolean starting = seenAlive.getOrDefault(id, 0L) < started;
            long since = goneSince.computeIfAbsent(id, x -> now);
            if (starting) {
                since = Math.max(since, started + OrphanWatch.STARTING_MILLIS);
            }
            if (adopter == self && !adopted.containsKey(id) && now - since >= grace.toMillis()) {
                LOG.info("invoker{} is {}; invoker{} takes over its topic", id,
                        alive.contains(id) ? "unhealthy for " + (now - unhealthySince.getOrDefault(id, now)) + " ms"
                                : "gone", self);
                adopted.put(id, adopt.apply(id));
            }
        }
        for (Integer id : Set.copyOf(adopted.keySet())) {
            if (liveNow.contains(id) || adopter != self) {
                LOG.info("handing invoker{}'s topic back", id);
                handBack.accept(adopted.remove(id));
            }
        }
    }

    /** The invokers whose topics this one consumes now. */
    Set<Integer> adopted() {
        return Set.copyOf(adopted.keySet());
    }

    /** Forgets every adopted topic and returns their handles, for closing. */
    List<AutoCloseable> dropAll() {
        List<AutoCloseable> out = List.copyOf(adopted.values());
        adopted.clear();
        return out;
    }
}
