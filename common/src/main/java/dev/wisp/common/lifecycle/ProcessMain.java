package dev.wisp.common.lifecycle;

import dev.wisp.common.config.ConfigException;
import dev.wisp.common.config.Settings;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import java.util.function.Function;

/**
 * Runs one component, a verticle, as its own process: reads its settings from the arguments and the environment
 * (a bad setting is reported and exits with 2), deploys it on a new Vert.x (a failed start exits with 1), and
 * undeploys it when the process is asked to stop (closing Vert.x stops every verticle).
 */
public final class ProcessMain {
    private ProcessMain() {
    }

    /**
     * @param name      the component, as the failure message names it
     * @param configure the component's configuration from the settings
     * @param component the verticle for that configuration
     */
    public static <C> void run(String[] args, String name, Function<Settings, C> configure,
                               Function<C, Deployable> component) {
        C config;
        try {
            config = Settings.configure(args, System.getenv(), configure);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Vertx vertx = Vertx.vertx();
        vertx.deployVerticle(component.apply(config)).onFailure(e -> {
            System.err.println(name + " failed to start: " + e);
            // not on the event loop: the shutdown hook waits for Vert.x to close, which needs this thread
            new Thread(() -> System.exit(1), "exit").start();
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                vertx.close().await();
            } catch (Exception e) {
                // exiting anyway
            }
        }));
    }
}
