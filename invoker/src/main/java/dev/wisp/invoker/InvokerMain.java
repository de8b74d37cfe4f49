package dev.wisp.invoker;

import dev.wisp.common.config.ConfigException;
import dev.wisp.common.config.Settings;
import io.vertx.core.Vertx;

/** Runs one invoker as its own process: {@code InvokerMain --invoker.name=... --kafka.bootstrap=...}. */
public final class InvokerMain {
    private InvokerMain() {
    }

    public static void main(String[] args) {
        InvokerConfig config;
        try {
            config = Settings.configure(args, System.getenv(), InvokerConfig::from);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Vertx vertx = Vertx.vertx();
        Runnable exit = () -> vertx.close().onComplete(ar -> new Thread(() -> System.exit(0), "exit").start());
        vertx.deployVerticle(new Invoker(config, exit)).onFailure(e -> {
            System.err.println("invoker failed to start: " + e.getMessage());
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
