package dev.wisp.invoker.firewall;

import dev.wisp.invoker.docker.ActionNetwork;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the Docker host to action containers: of everything listening on the host (Kafka, ZooKeeper, the
 * store, controllers, the invoker's admin port, the Docker API, whatever else runs there), a container on the
 * action network reaches only the listed ports, i.e. the edge gateway's listener for actions. Traffic from the
 * action bridge to any of the host's own addresses enters the {@code INPUT} chain; this inserts a jump there to
 * a chain of Wisp's own, written whole and atomically with {@code iptables-restore --noflush}. Traffic through
 * the host to the outside world ({@code FORWARD}) is left alone, and containers of one isolated bridge cannot
 * reach one another anyway (inter-container traffic off). Rewriting the same rules is harmless, so every
 * invoker on the host may apply them.
 */
public final class HostFirewall {
    private static final Logger LOG = LoggerFactory.getLogger(HostFirewall.class);
    private static final long COMMAND_SECONDS = 20;

    private final Vertx vertx;

    public HostFirewall(Vertx vertx) {
        this.vertx = vertx;
    }

    /** The chain holding the rules of one action bridge. */
    static String chain(String bridge) {
        return "WISP-" + bridge;
    }

    /** The {@code iptables-restore} input that (re)writes the chain of {@code bridge}. */
    static String rules(String bridge, List<Integer> allowedPorts) {
        String chain = chain(bridge);
        StringBuilder b = new StringBuilder("*filter\n:").append(chain).append(" - [0:0]\n");
        b.append("-A ").append(chain).append(" -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n");
        for (int port : allowedPorts) {
            b.append("-A ").append(chain).append(" -p tcp -m tcp --dport ").append(port).append(" -j ACCEPT\n");
        }
        b.append("-A ").append(chain).append(" -p tcp -j REJECT --reject-with tcp-reset\n");
        b.append("-A ").append(chain).append(" -j REJECT --reject-with icmp-port-unreachable\n");
        return b.append("COMMIT\n").toString();
    }

    /**
     * Applies the rules for the action network, off the event loop. Fails (naming the command and what it said)
     * when the network is not a bridge or iptables cannot be used, e.g. without root or in a container without
     * {@code NET_ADMIN}: an invoker must not run actions on a host it could not close.
     */
    public Future<Void> apply(ActionNetwork network, List<Integer> allowedPorts) {
        if (network.bridge() == null) {
            return Future.failedFuture(new IllegalStateException("the action network " + network.name()
                    + " is not a bridge: the host firewall cannot isolate it"));
        }
        return vertx.executeBlocking(() -> {
            String bridge = network.bridge();
            String chain = chain(bridge);
            run(rules(bridge, allowedPorts), "iptables-restore", "-w", "--noflush");
            if (run(null, "iptables", "-w", "-C", "INPUT", "-i", bridge, "-j", chain) != 0) {
                check(run(null, "iptables", "-w", "-I", "INPUT", "1", "-i", bridge, "-j", chain),
                        "iptables -I INPUT 1 -i " + bridge + " -j " + chain);
            }
            LOG.info("host firewall: containers on {} ({}) reach the host on tcp {} only", network.name(), bridge,
                    allowedPorts);
            return null;
        }, false);
    }

    private static void check(int exit, String command) {
        if (exit != 0) {
            throw new IllegalStateException(command + " failed (exit " + exit + ")");
        }
    }

    /** Runs a command with {@code input} on its standard input; returns its exit code, 0 expected for restore. */
    private static int run(String input, String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + " (" + e.getMessage() + "): the host"
                    + " firewall for action containers needs iptables and root (apt-get install -y iptables), or"
                    + " set invoker.network.firewall=off where the network is isolated otherwise", e);
        }
        if (input != null) {
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in " + COMMAND_SECONDS + " s");
        }
        if (input != null && p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): "
                    + new String(out, StandardCharsets.UTF_8).trim());
        }
        return p.exitValue();
    }

    /** The ports a URL reaches on the host, when its host is the action network's gateway: the API for actions. */
    public static List<Integer> apiPorts(ActionNetwork network, java.net.URI apiHost) {
        List<Integer> ports = new ArrayList<>();
        if (apiHost != null && network.gateway() != null && network.gateway().equals(apiHost.getHost())) {
            ports.add(apiHost.getPort() > 0 ? apiHost.getPort() : "https".equals(apiHost.getScheme()) ? 443 : 80);
        }
        return ports;
    }
}
