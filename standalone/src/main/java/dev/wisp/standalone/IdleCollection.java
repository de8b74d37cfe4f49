package dev.wisp.standalone;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Hands the heap a burst of work grew back to the system, in standalone's two JVMs. The broker's, once quiet: Serial
 * grows its old generation by the garbage a start or a load promotes (an idle broker held 60 MB of it with 35 MB
 * live), and gives back only after full collections that find more than {@code MaxHeapFreeRatio} (70%) free. So,
 * after a few quiet seconds and only if the heap has grown since the last time, one full collection with the free
 * share held to {@link #FREE_PERCENT}, then the JVM's own ratios again: 24 MB less resident for an idle broker. The
 * JVM must run with {@code -XX:-ShrinkHeapInSteps} (else the first collection gives back nothing) and a bounded
 * young generation ({@link dev.wisp.standalone.kafka.KafkaProcess}).
 *
 * <p>Wisp's own JVM in a standalone has no maximum heap of its own choosing (the JDK's default, a quarter of the
 * machine), and under sustained load Serial expands its old generation with promoted garbage instead of collecting
 * it: 181 -> 857 MB resident in 2.5 minutes at 1,200-1,400 invokes a second, and growing. It is never quiet then,
 * so it watches for growth alone ({@link #watch}): once the heap has grown by {@link #LOAD_GROWTH} since the last
 * collection, one collection as above, busy or not (measured at 1,300-1,400 invokes a second on two cores: a pause
 * of about 0.1 s every half minute, and 322-362 MB resident).
 */
public final class IdleCollection {
    static final Duration TICK = Duration.ofSeconds(1);
    /** A quiet tick uses under a tenth of a core: an idle broker uses about 5% (its clients' fetches and heartbeats). */
    static final double QUIET_SHARE = 0.10;
    static final int QUIET_TICKS = 3;
    /** Worth a collection: the heap has grown by this much since the last one. */
    static final long GROWTH = 8L << 20;
    /** Worth a collection even in a busy process (Wisp's JVM under load): the heap has grown by this much. */
    public static final long LOAD_GROWTH = 128L << 20;
    /** The old generation after it: its live data and at most 10% more. */
    static final String FREE_PERCENT = "10";

    private final long idleGrowth;
    private final long loadGrowth;
    private int quiet;
    private long committedAfter;

    /** The broker's: a collection when quiet and grown by {@link #GROWTH}. */
    IdleCollection() {
        this(GROWTH, 0);
    }

    /**
     * @param idleGrowth growth worth a collection once the process is quiet; 0: none when quiet
     * @param loadGrowth growth worth a collection whether the process is quiet or not; 0: none
     */
    IdleCollection(long idleGrowth, long loadGrowth) {
        this.idleGrowth = idleGrowth;
        this.loadGrowth = loadGrowth;
    }

    /**
     * One tick: the CPU the process used in it, the tick's length and the heap's committed size now. True when it
     * should collect: quiet for {@link #QUIET_TICKS} ticks and the idle growth more heap than after the last time,
     * or the load growth more, quiet or not.
     */
    boolean tick(long cpuNanos, long tickNanos, long committed) {
        quiet = cpuNanos < QUIET_SHARE * tickNanos ? quiet + 1 : 0;
        long grown = committed - committedAfter;
        return idleGrowth > 0 && quiet >= QUIET_TICKS && grown > idleGrowth || loadGrowth > 0 && grown > loadGrowth;
    }

    /** It collected, and the heap is this size after. */
    void collected(long committed) {
        committedAfter = committed;
        quiet = 0;
    }

    /** Watches this JVM from a daemon thread of its own, as the broker's. */
    public static void start() {
        watch(new IdleCollection());
    }

    /**
     * Watches this JVM from a daemon thread of its own, collecting once its heap has grown by {@code loadGrowth}
     * since the last time, quiet or not. The JVM must run with {@code -XX:-ShrinkHeapInSteps}.
     */
    public static void watch(long loadGrowth) {
        watch(new IdleCollection(0, loadGrowth));
    }

    private static void watch(IdleCollection idle) {
        OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (os == null || vm == null || os.getProcessCpuTime() < 0) {
            return;
        }
        Thread.ofPlatform().name("idle-collection").daemon().start(() -> {
            long cpu = os.getProcessCpuTime();
            long at = System.nanoTime();
            try {
                while (true) {
                    Thread.sleep(TICK);
                    long cpuNow = os.getProcessCpuTime();
                    long now = System.nanoTime();
                    if (idle.tick(cpuNow - cpu, now - at, Runtime.getRuntime().totalMemory())) {
                        try {
                            collect(vm);
                        } catch (RuntimeException e) { // a JVM that refuses the ratios runs on as it is
                            System.err.println("idle collection stopped: " + e);
                            return;
                        }
                        idle.collected(Runtime.getRuntime().totalMemory());
                        cpuNow = os.getProcessCpuTime(); // the collection's own CPU is not the broker's work
                        now = System.nanoTime();
                    }
                    cpu = cpuNow;
                    at = now;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** A full collection that leaves {@link #FREE_PERCENT} free, then the JVM's ratios as they were. */
    static void collect(HotSpotDiagnosticMXBean vm) {
        String min = vm.getVMOption("MinHeapFreeRatio").getValue();
        String max = vm.getVMOption("MaxHeapFreeRatio").getValue();
        // in this order: MinHeapFreeRatio may never exceed MaxHeapFreeRatio, even for a moment
        vm.setVMOption("MinHeapFreeRatio", "0");
        try {
            vm.setVMOption("MaxHeapFreeRatio", FREE_PERCENT);
            try {
                System.gc();
            } finally {
                vm.setVMOption("MaxHeapFreeRatio", max);
            }
        } finally {
            vm.setVMOption("MinHeapFreeRatio", min);
        }
    }
}
