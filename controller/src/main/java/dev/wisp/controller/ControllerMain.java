package dev.wisp.controller;

import dev.wisp.common.launch.Launcher;
import io.vertx.core.Vertx;

/** Runs one controller as its own process: {@code ControllerMain --kafka.bootstrap=... --zookeeper.connect=...}. */
public final class ControllerMain {
    private ControllerMain() {
    }

    public static void main(String[] args) {
        ControllerConfig config = Launcher.configure(args, ControllerConfig::from);
        Vertx vertx = Vertx.vertx();
        Launcher.run("controller", vertx.deployVerticle(new Controller(config)), vertx::close);
    }
}
