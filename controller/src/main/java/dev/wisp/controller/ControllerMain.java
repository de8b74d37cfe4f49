package dev.wisp.controller;

import dev.wisp.common.lifecycle.ProcessMain;

/** Runs one controller as its own process: {@code ControllerMain --kafka.bootstrap=... --zookeeper.connect=...}. */
public final class ControllerMain {
    private ControllerMain() {
    }

    public static void main(String[] args) {
        ProcessMain.run(args, "controller", ControllerConfig::from, Controller::new);
    }
}
