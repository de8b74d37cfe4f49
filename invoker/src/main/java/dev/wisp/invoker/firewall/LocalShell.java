package dev.wisp.invoker.firewall;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the firewall script on this machine (an invoker on the Docker host, as root), on a worker thread. */
public final class LocalShell implements HostFirewall.Shell {
    private static final long SECONDS = 30;
    private final Vertx vertx;

    public LocalShell(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public Future<Void> run(String script, Map<String, String> env) {
        return vertx.executeBlocking(() -> {
            ProcessBuilder pb = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot run sh for the host firewall: " + e.getMessage(), e);
            }
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("the host firewall script did not finish in " + SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("the host firewall could not be set (exit " + p.exitValue() + "): "
                        + out + ". It needs root and iptables (apt-get install -y iptables); where the network is"
                        + " closed otherwise, set invoker.network.firewall=off");
            }
            return null;
        }, false);
    }
}
