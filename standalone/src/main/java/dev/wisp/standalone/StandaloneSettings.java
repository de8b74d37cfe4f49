package dev.wisp.standalone;

import dev.wisp.common.config.CommonSettings;
import dev.wisp.common.config.Setting;
import dev.wisp.common.config.SettingDefinitions;
import dev.wisp.controller.ControllerSettings;
import dev.wisp.gateway.GatewaySettings;
import dev.wisp.invoker.InvokerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Standalone's own settings. It takes every component's settings too ({@code --gateway.port}, ...), passing them
 * on; Kafka, ZooKeeper and the store it runs itself.
 */
public final class StandaloneSettings implements SettingDefinitions {
    public static final Setting<String> DATA = Setting.text("standalone.data", null,
            "where ZooKeeper, Kafka and the store keep their data across restarts")
            .defaultShownAs("$WISP_HOME/standalone");
    public static final Setting<String> POUCHDB_BIN = Setting.text("store.pouchdb.bin", null,
            "the PouchDB Server executable (an npm install's node_modules/.bin/pouchdb-server runs as Wisp's "
                    + "store-server.js)").defaultShownAs("under $WISP_HOME/tools");
    public static final Setting<Duration> KAFKA_WAIT = Setting.positiveDuration("standalone.kafka.wait",
            Duration.ofSeconds(90), "longest the Kafka broker may take to start");
    public static final Setting<String> KAFKA_JVM = Setting.text("standalone.kafka.jvm", "",
            "more options for the Kafka broker's JVM, after standalone's own and standalone.jit's")
            .defaultShownAs("none");
    /**
     * Which JIT compilers Wisp's JVM and the broker's run: {@code c1} (C1 alone) or {@code c2} (C1, then C2 for what
     * is hot, as the cluster's JVMs run). {@code ./wisp standalone} starts Wisp's JVM with it (C1 unless told
     * {@code c2}); unset, the broker runs what Wisp's JVM runs.
     */
    public static final Setting<String> JIT = Setting.oneOf("standalone.jit", null,
            "the JIT compilers of Wisp's JVM and the broker's: c1 (C1 alone: ready sooner, at its steady speed within"
                    + " a few hundred invokes) or c2 (C1 then C2: 0.6 times the CPU an invoke once warm, after tens of"
                    + " thousands of invokes); ./wisp standalone reads it from its command line, WISP_STANDALONE_JIT"
                    + " or a --config file",
            "c1", "c2")
            .defaultShownAs("c1 under ./wisp standalone; otherwise what Wisp's JVM runs");
    public static final Setting<Duration> STORE_WAIT = Setting.positiveDuration("standalone.store.wait",
            Duration.ofSeconds(30), "longest the store may take to start");
    public static final Setting<Boolean> WSKPROPS = Setting.bool("standalone.wskprops", true,
            "write APIHOST and AUTH to ~/.wskprops");

    /** Every definition standalone takes: its own and every component's. */
    public static List<SettingDefinitions> everyComponent() {
        return List.of(new CommonSettings(), new ControllerSettings(), new InvokerSettings(), new GatewaySettings(),
                new StandaloneSettings());
    }

    /** The settings of {@link #everyComponent()}. */
    static List<Setting<?>> all() {
        List<Setting<?>> all = new ArrayList<>();
        everyComponent().forEach(d -> all.addAll(d.settings()));
        return all;
    }
}
