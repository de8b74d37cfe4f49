package dev.wisp.common.zookeeper;

/** The ZooKeeper tree Wisp uses. Every path lives under {@code /wisp}. */
public final class ZkPaths {
    public static final String ROOT = "/wisp";
    /** Persistent: one child per invoker unique name, its data the assigned instance number. */
    public static final String INVOKER_IDS = ROOT + "/invokers/ids";
    /** Persistent counter used to hand out instance numbers. */
    public static final String INVOKER_COUNTER = ROOT + "/invokers/counter";
    /** Ephemeral: one child per live invoker instance, its data an {@code InvokerInfo}. */
    public static final String INVOKERS_LIVE = ROOT + "/invokers/live";
    /** Persistent: an operator creates {@code invokerN} here to drain that invoker; it removes the node when done. */
    public static final String INVOKER_DRAIN = ROOT + "/invokers/drain";
    /** Ephemeral: one child per live controller, its data a {@code ControllerInfo}. */
    public static final String CONTROLLERS_LIVE = ROOT + "/controllers/live";
    /** One persistent node per controller incarnation, for adopting a dead one's pending activations. */
    public static final String CONTROLLER_INCARNATIONS = ROOT + "/controllers/incarnations";
    /** Leader latch of the controllers: its holder fires the alarm triggers. */
    public static final String ALARMS_LEADER = ROOT + "/alarms/leader";
    /** Persistent: one child per alarm trigger (its URL-encoded name), its data the trigger's {@code AlarmState}. */
    public static final String ALARMS_TICKS = ROOT + "/alarms/ticks";
    /** Persistent: the cluster's secret for activation-scoped API keys (random, created by the first reader). */
    public static final String ACTIVATION_KEY_SECRET = ROOT + "/secrets/activation-keys";

    private ZkPaths() {
    }
}
