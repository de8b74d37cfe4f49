package dev.wisp.invoker.firewall;

import dev.wisp.invoker.docker.BridgeNetwork;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the Docker host to action containers. Everything on the action bridge that is addressed to the host
 * itself (Kafka, ZooKeeper, the store, controllers, an invoker's admin port, the Docker API, whatever else
 * listens there, on any of its addresses) enters the {@code INPUT} chain: a jump there leads to a chain of
 * Wisp's own that lets through replies and the API's port (standalone: the gateway listens on the bridge) and
 * rejects the rest. Containers of one isolated bridge cannot reach one another (inter-container traffic off),
 * and Docker drops traffic between bridges.
 *
 * <p>When the control plane runs in containers of its own network (a cluster on one Docker host), a second
 * chain, jumped to from {@code DOCKER-USER}, opens exactly two doors between the two bridges: actions to the
 * API's port on the control network (only the gateway listens there), and the control network to the runtimes'
 * port on the action network (invokers driving their containers), with the replies of both.
 *
 * <p>Both chains are written whole and atomically with {@code iptables-restore --noflush}, so every invoker of
 * the host may apply them again; where the invoker itself runs in a container the same script runs on the
 * Docker host through a one-shot container ({@link Shell}). Traffic to the outside world is left alone.
 */
public final class HostFirewall {
    private static final Logger LOG = LoggerFactory.getLogger(HostFirewall.class);
    /** The port Wisp's runtimes listen on in their containers. */
    private static final int RUNTIME_PORT = 8080;

    /** Where the script runs: here (an invoker on the host) or on the Docker host through a container. */
    public interface Shell {
        /**
         * Runs {@code script} with {@code sh -c} and the variables; fails with what it printed when it exits
         * non-zero. The Future completes on the caller's context.
         */
        Future<Void> run(String script, Map<String, String> env);
    }

    /**
     * What to close.
     *
     * @param actions        the action network
     * @param apiPort        the port actions may reach: on the host's address on the action bridge (standalone), or
     *                       on the control network (cluster); 0 for none
     * @param controlBridge  the host-side interface of the control plane's network when it is a Docker network on
     *                       this host, else null
     */
    public record Rules(BridgeNetwork actions, int apiPort, String controlBridge) {
        public Rules {
            Objects.requireNonNull(actions, "actions");
            if (actions.bridge() == null) {
                throw new IllegalArgumentException("the action network " + actions.name() + " is not a bridge:"
                        + " the host firewall cannot isolate it");
            }
        }

        String inputChain() {
            return "WISP-" + actions.bridge();
        }

        String forwardChain() {
            return "WISP-FWD-" + actions.bridge();
        }

        /** The {@code iptables-restore} input that (re)writes Wisp's chains. */
        String restore() {
            String in = inputChain();
            StringBuilder b = new StringBuilder("*filter\n:").append(in).append(" - [0:0]\n");
            b.append("-A ").append(in).append(" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
            if (apiPort > 0 && controlBridge == null) {
                b.append("-A ").append(in).append(" -p tcp -m tcp --dport ").append(apiPort).append(" -j ACCEPT\n");
            }
            b.append("-A ").append(in).append(" -p tcp -j REJECT --reject-with tcp-reset\n");
            b.append("-A ").append(in).append(" -j REJECT --reject-with icmp-port-unreachable\n");
            if (controlBridge != null) {
                String fwd = forwardChain();
                String a = actions.bridge();
                b.append(':').append(fwd).append(" - [0:0]\n");
                if (apiPort > 0) {
                    b.append("-A ").append(fwd).append(" -i ").append(a).append(" -o ").append(controlBridge)
                            .append(" -p tcp -m tcp --dport ").append(apiPort).append(" -j ACCEPT\n");
                }
                b.append("-A ").append(fwd).append(" -i ").append(controlBridge).append(" -o ").append(a)
                        .append(" -p tcp -m tcp --dport ").append(RUNTIME_PORT).append(" -j ACCEPT\n");
                for (String[] pair : new String[][] {{a, controlBridge}, {controlBridge, a}}) {
                    b.append("-A ").append(fwd).append(" -i ").append(pair[0]).append(" -o ").append(pair[1])
                            .append(" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
                }
            }
            return b.append("COMMIT\n").toString();
        }
    }

    /** Applies the rules: the chains, then the jumps to them, each added only where missing. */
    static final String SCRIPT = """
            set -e
            printf '%s' "$WISP_RULES" | iptables-restore -w --noflush
            iptables -w -C INPUT -i "$WISP_BRIDGE" -j "$WISP_INPUT" 2>/dev/null \
              || iptables -w -I INPUT 1 -i "$WISP_BRIDGE" -j "$WISP_INPUT"
            if [ -n "$WISP_FORWARD" ]; then
              iptables -w -C DOCKER-USER -j "$WISP_FORWARD" 2>/dev/null \
                || iptables -w -I DOCKER-USER 1 -j "$WISP_FORWARD"
            fi
            """;

    private final Shell shell;

    public HostFirewall(Shell shell) {
        this.shell = Objects.requireNonNull(shell, "shell");
    }

    /**
     * Applies the rules. Fails (with what iptables said) when they cannot be applied, e.g. without root or
     * iptables: an invoker must not run actions on a host it could not close.
     */
    public Future<Void> apply(Rules rules) {
        Map<String, String> env = Map.of(
                "WISP_RULES", rules.restore(),
                "WISP_BRIDGE", rules.actions().bridge(),
                "WISP_INPUT", rules.inputChain(),
                "WISP_FORWARD", rules.controlBridge() == null ? "" : rules.forwardChain());
        return shell.run(SCRIPT, env).onSuccess(v -> LOG.info("host firewall: containers on {} ({}) reach {}",
                rules.actions().name(), rules.actions().bridge(), rules.apiPort() <= 0 ? "nothing of Wisp"
                        : rules.controlBridge() == null ? "the host on tcp " + rules.apiPort() + " only"
                        : "tcp " + rules.apiPort() + " on the control network only"));
    }
}
