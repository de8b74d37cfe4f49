package dev.wisp.controller;

import dev.wisp.common.config.ConfigException;
import dev.wisp.common.config.Settings;
import io.vertx.core.Vertx;

/** Runs one controller as its own process: {@code ControllerMain --kafka.bootstrap=... --zookeeper.connect=...}. */
public final class ControllerMain {
    private ControllerMain() {
    }

    public static void main(String[] args) {
        ControllerConfig config;
        try {
            config = Settings.configure(args, System.getenv(), ControllerConfig::from);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Vertx vertx = Vertx.vertx();
        Controller controller = new Controller(vertx, config);
        controller.start().onFailure(e -> {
            System.err.println("controller failed to start: " + e);
            // not on the event loop: the shutdown hook waits for Vert.x to close, which needs this thread
            new Thread(() -> System.exit(1), "exit").start();
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                controller.close().await();
            } catch (Exception e) {
                // exiting anyway
            }
        }));
    }
}
