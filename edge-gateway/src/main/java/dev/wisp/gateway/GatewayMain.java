package dev.wisp.gateway;

import dev.wisp.common.launch.Launcher;
import io.vertx.core.Vertx;

/** Runs the edge gateway as its own process: {@code GatewayMain --zookeeper.connect=... --gateway.port=3233}. */
public final class GatewayMain {
    private GatewayMain() {
    }

    public static void main(String[] args) {
        GatewayConfig config = Launcher.configure(args, GatewayConfig::from);
        Vertx vertx = Vertx.vertx();
        Launcher.run("gateway", vertx.deployVerticle(new EdgeGateway(config)), vertx::close);
    }
}
