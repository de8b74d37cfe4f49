package dev.wisp.gateway;

import dev.wisp.common.config.ConfigException;
import dev.wisp.common.config.Settings;
import io.vertx.core.Vertx;

/** Runs the edge gateway as its own process: {@code GatewayMain --zookeeper.connect=... --gateway.port=3233}. */
public final class GatewayMain {
    private GatewayMain() {
    }

    public static void main(String[] args) {
        GatewayConfig config;
        try {
            config = Settings.configure(args, System.getenv(), GatewayConfig::from);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Vertx vertx = Vertx.vertx();
        vertx.deployVerticle(new EdgeGateway(config)).onFailure(e -> {
            System.err.println("gateway failed to start: " + e.getMessage());
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
