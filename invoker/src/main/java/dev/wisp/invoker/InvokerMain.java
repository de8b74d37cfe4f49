package dev.wisp.invoker;

import dev.wisp.common.launch.Launcher;
import io.vertx.core.Vertx;

/** Runs one invoker as its own process: {@code InvokerMain --invoker.name=... --kafka.bootstrap=...}. */
public final class InvokerMain {
    private InvokerMain() {
    }

    public static void main(String[] args) {
        InvokerConfig config = Launcher.configure(args, InvokerConfig::from);
        Vertx vertx = Vertx.vertx();
        // once drained, the invoker ends its process
        Runnable exit = () -> vertx.close().onComplete(ar -> Launcher.exit(0));
        Launcher.run("invoker", vertx.deployVerticle(new Invoker(config, exit)), vertx::close);
    }
}
