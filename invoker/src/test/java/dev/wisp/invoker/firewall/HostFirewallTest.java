package dev.wisp.invoker.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wisp.invoker.docker.BridgeNetwork;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostFirewallTest {
    private static final BridgeNetwork ACTIONS = new BridgeNetwork("wisp-actions", "wisp-actions", "172.18.0.1", true);

    @Test
    void standaloneLetsActionsReachOnlyTheApiPortOnTheHost() {
        assertEquals("""
                *filter
                :WISP-wisp-actions - [0:0]
                -A WISP-wisp-actions -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
                -A WISP-wisp-actions -p tcp -m tcp --dport 3233 -j ACCEPT
                -A WISP-wisp-actions -p tcp -j REJECT --reject-with tcp-reset
                -A WISP-wisp-actions -j REJECT --reject-with icmp-port-unreachable
                COMMIT
                """, new HostFirewall.Rules(ACTIONS, 3233, null).restore());
    }

    @Test
    void aClusterOpensOnlyTheApiPortOnTheControlNetworkAndTheRuntimePortTheOtherWay() {
        assertEquals("""
                *filter
                :WISP-wisp-actions - [0:0]
                -A WISP-wisp-actions -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
                -A WISP-wisp-actions -p tcp -j REJECT --reject-with tcp-reset
                -A WISP-wisp-actions -j REJECT --reject-with icmp-port-unreachable
                :WISP-FWD-wisp-actions - [0:0]
                -A WISP-FWD-wisp-actions -i wisp-actions -o wisp-net -p tcp -m tcp --dport 3233 -j ACCEPT
                -A WISP-FWD-wisp-actions -i wisp-net -o wisp-actions -p tcp -m tcp --dport 8080 -j ACCEPT
                -A WISP-FWD-wisp-actions -i wisp-actions -o wisp-net -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
                -A WISP-FWD-wisp-actions -i wisp-net -o wisp-actions -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
                COMMIT
                """, new HostFirewall.Rules(ACTIONS, 3233, "wisp-net").restore());
    }

    @Test
    void withoutAnApiNothingOfTheHostIsOpen() {
        String rules = new HostFirewall.Rules(ACTIONS, 0, null).restore();
        assertEquals(false, rules.contains("--dport"), rules);
    }

    @Test
    void theScriptGetsTheChainsAndTheBridge() {
        Map<String, String> seen = new HashMap<>();
        new HostFirewall((script, env) -> {
            seen.putAll(env);
            seen.put("script", script);
            return Future.succeededFuture();
        }).apply(new HostFirewall.Rules(ACTIONS, 3233, "wisp-net"));
        assertEquals("wisp-actions", seen.get("WISP_BRIDGE"));
        assertEquals("WISP-wisp-actions", seen.get("WISP_INPUT"));
        assertEquals("WISP-FWD-wisp-actions", seen.get("WISP_FORWARD"));
        assertEquals(HostFirewall.SCRIPT, seen.get("script"));
    }

    @Test
    void aNetworkThatIsNotABridgeCannotBeClosed() {
        assertThrows(IllegalArgumentException.class, () ->
                new HostFirewall.Rules(new BridgeNetwork("host", null, null, false), 3233, null));
    }
}
