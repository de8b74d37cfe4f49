package dev.wisp.it;

import static dev.wisp.it.WispClient.NS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wisp.common.message.ActivationId;
import dev.wisp.controller.activation.SequenceActivationIds;
import dev.wisp.it.cluster.RecordCheck;
import dev.wisp.it.cluster.WispCluster;
import dev.wisp.it.cluster.WithCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A sequence accepted while the fleet has an invoker waits for one when its next component finds none: on a cluster
 * of real processes (1 ZooKeeper, 1 broker, 1 controller, 1 invoker) the only invoker is drained while a sequence
 * runs, so the sequence's next publish finds no invoker to take it; the invoker is started again, and the sequence
 * ends with its components' result, each component run once. (It used to end at once with a system error.)
 */
@WithCluster
class SequenceWaitsForInvokersIT {
    @Test
    void aSequenceWhoseNextComponentFindsNoInvokerWaitsForOne(WispCluster cluster) throws Exception {
        WispClient api = new WispClient(cluster.controllerApi("controller0"), cluster.auth());
        assertEquals(200, api.put(NS + "/actions/slow-inc", "{\"exec\":{\"kind\":\"nodejs:default\",\"code\":"
                + "\"function main(p) { return new Promise(r => setTimeout(() => r({ n: p.n + 1 }), 10000)); }\"},"
                + "\"limits\":{\"memory\":128,\"timeout\":30000}}").status());
        assertEquals(200, api.put(NS + "/actions/slow-two", "{\"exec\":{\"kind\":\"sequence\",\"components\":"
                + "[\"/_/slow-inc\",\"/_/slow-inc\"]}}").status());
        String invoker = cluster.invokerNames().get(0);
        String invokerId = cluster.invoker(invoker).id();

        WispClient.Response accepted = api.post(NS + "/actions/slow-two", "{\"n\":40}");
        assertEquals(202, accepted.status(), accepted.toString());
        String id = accepted.json().path("activationId").asText();
        // the only invoker stops taking work while the first component is on its way or running
        WispClient.Response drain = api.request("POST", "/admin/fleet/invokers/" + invokerId + "/drain", null,
                Map.of("Authorization", "Bearer " + cluster.adminToken()));
        assertEquals(202, drain.status(), drain.toString());
        await(invoker + " drains and exits").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> !cluster.invokerAlive(invoker));

        RecordCheck records = new RecordCheck(cluster.storeUrl());
        assertTrue(records.records(List.of(id)).isEmpty(), "the sequence ended while no invoker could run it: "
                + records.records(List.of(id)));
        cluster.startInvoker(invoker);

        await("the sequence's record").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                .until(() -> !records.records(List.of(id)).isEmpty());
        JsonNode record = records.records(List.of(id)).get(id);
        assertEquals(0, record.path("response").path("statusCode").asInt(), record.toString());
        assertEquals(42, record.path("response").path("result").path("n").asInt(), record.toString());
        List<String> components = List.of(SequenceActivationIds.of(ActivationId.of(id), 0).value(),
                SequenceActivationIds.of(ActivationId.of(id), 1).value());
        assertEquals(2, records.records(components).size(), "each component has its record");
        long runs = cluster.journal().stream().filter(components::contains).count();
        assertEquals(2, runs, "each component ran once: " + cluster.journal());
    }
}
