package dev.wisp.it;

import dev.wisp.common.config.Settings;
import dev.wisp.standalone.Standalone;
import dev.wisp.standalone.StandaloneConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One real Wisp for the integration tests of this JVM: embedded Kafka and ZooKeeper servers, PouchDB Server,
 * Docker, and the controller, invoker and gateway, on a fresh data directory and free ports. Started on first
 * use, stopped when the JVM exits or when a cluster test {@linkplain #release() wants the machine to itself}.
 */
public final class WispFixture {
    /** The token of the operators' {@code /admin} API ({@code controller.admin.token}) of the shared Wisp. */
    static final String ADMIN_TOKEN = "it-admin-" + java.util.UUID.randomUUID();

    private static Standalone wisp;
    private static Thread hook;
    private static IllegalStateException failure;

    private WispFixture() {
    }

    static synchronized Standalone get() {
        if (failure != null) {
            throw failure;
        }
        if (wisp == null) {
            try {
                Path data = Files.createTempDirectory("wisp-it-");
                Map<String, String> values = new HashMap<>();
                values.put("standalone.data", data.toString());
                values.put("gateway.port", "0");
                values.put("standalone.wskprops", "false");
                values.put("invoker.name", "it-" + ProcessHandle.current().pid());
                values.put("invoker.memory.mb", "1024");
                // the suites share the guest namespace; throttles are tested on namespaces of their own
                values.put("limits.invocations.per.minute", "100000");
                values.put("limits.invocations.concurrent", "1000");
                values.put("controller.admin.token", ADMIN_TOKEN);
                Standalone started = new Standalone(StandaloneConfig.from(new Settings(values)),
                        step -> System.out.println("[fixture] " + step));
                started.start();
                hook = new Thread(started::close);
                Runtime.getRuntime().addShutdownHook(hook);
                wisp = started;
            } catch (Exception e) {
                failure = new IllegalStateException("could not start Wisp for the tests: " + e, e);
                throw failure;
            }
        }
        return wisp;
    }

    /**
     * Stops the shared Wisp, if it runs, so that a test of its own cluster of processes does not share two cores
     * with an idle Wisp as well; the next suite that needs one starts a fresh one.
     */
    public static synchronized void release() {
        if (wisp != null) {
            System.out.println("[fixture] stopping the shared Wisp: a cluster test runs next");
            Runtime.getRuntime().removeShutdownHook(hook);
            wisp.close();
            wisp = null;
            hook = null;
        }
    }

    static WispClient client() {
        Standalone w = get();
        return new WispClient(w.apiHost(), w.guestAuth());
    }
}
