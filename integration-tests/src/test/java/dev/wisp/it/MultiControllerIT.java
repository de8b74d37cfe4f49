package dev.wisp.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wisp.common.config.Settings;
import dev.wisp.common.zookeeper.Zk;
import dev.wisp.common.zookeeper.ZkPaths;
import dev.wisp.controller.Controller;
import dev.wisp.controller.ControllerConfig;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two more controllers next to the fixture's, on the same Kafka, ZooKeeper and store: a change made through
 * one controller reaches the others' entity caches, and namespace throttles hold for the whole cluster while
 * the gateway spreads requests over three controllers.
 */
class MultiControllerIT {
    private static Vertx vertx;
    private static final List<Controller> extra = new ArrayList<>();
    private static WispClient viaSecond;
    private static WispClient viaThird;

    @BeforeAll
    static void start() throws Exception {
        Settings base = WispFixture.get().settings();
        vertx = Vertx.vertx();
        for (String id : List.of("it-controller2", "it-controller3")) {
            Controller c = new Controller(ControllerConfig.from(base.with("controller.id", id)));
            vertx.deployVerticle(c).await();
            extra.add(c);
        }
        String auth = WispFixture.get().guestAuth();
        viaSecond = new WispClient("http://127.0.0.1:" + extra.get(0).port(), auth);
        viaThird = new WispClient("http://127.0.0.1:" + extra.get(1).port(), auth);
        try (CuratorFramework zk = Zk.connect(base.string("zookeeper.connect", null), Duration.ofSeconds(10))) {
            await().alias("three controllers announced").atMost(Duration.ofSeconds(10))
                    .until(() -> zk.getChildren().forPath(ZkPaths.CONTROLLERS_LIVE).size() == 3);
        }
    }

    @AfterAll
    static void stop() {
        vertx.close().await(); // undeploys the controllers
    }

    @Test
    void anUpdateThroughOneControllerReachesTheOthersCache() {
        String path = "/api/v1/namespaces/_/actions/cached";
        assertEquals(200, viaSecond.put(path + "?overwrite=true",
                WispClient.nodeAction("function main() { return { v: 1 }; }")).status());
        assertEquals(200, viaThird.post(path + "?blocking=true&result=true", "{}").status()); // now cached there
        String cachedVersion = viaThird.get(path).json().path("version").asText();

        WispClient.Response updated = viaSecond.put(path + "?overwrite=true",
                WispClient.nodeAction("function main() { return { v: 2 }; }"));
        assertEquals(200, updated.status(), updated.toString());
        String newVersion = updated.json().path("version").asText();
        await().alias("third controller sees " + newVersion + " (had " + cachedVersion + ")")
                .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> viaThird.get(path).json().path("version").asText().equals(newVersion));
        assertEquals("{\"v\":2}", viaThird.post(path + "?blocking=true&result=true", "{}").body());

        assertEquals(200, viaSecond.delete(path).status());
        await().alias("third controller forgets the deleted action").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> viaThird.get(path).status() == 404);
    }

    @Test
    void aPackageUpdateThroughOneControllerReachesTheOthersCache() {
        String pkg = "/api/v1/namespaces/_/packages/cachedpkg";
        String action = "/api/v1/namespaces/_/actions/cachedpkg/echo";
        assertEquals(200, viaSecond.put(pkg + "?overwrite=true", "{\"parameters\":[{\"key\":\"p\",\"value\":1}]}").status());
        assertEquals(200, viaSecond.put(action + "?overwrite=true",
                WispClient.nodeAction("function main(params) { return params; }")).status());
        assertEquals("{\"p\":1}", viaThird.post(action + "?blocking=true&result=true", "{}").body()); // cached there

        assertEquals(200, viaSecond.put(pkg + "?overwrite=true", "{\"parameters\":[{\"key\":\"p\",\"value\":2}]}").status());
        await().alias("third controller sees the package's new parameter").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> viaThird.get(action).json().path("parameters").path(0).path("value").asInt() == 2);
        assertEquals("{\"p\":2}", viaThird.post(action + "?blocking=true&result=true", "{}").body());

        assertEquals(200, viaSecond.delete(pkg + "?force=true").status());
        await().alias("third controller forgets the deleted package").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> viaThird.get(action).status() == 404 && viaThird.get(pkg).status() == 404);
    }

    @Test
    void throttlesHoldAcrossControllers() {
        WispClient frank = Admin.newUser("frank", "--invocationsPerMinute", "6");
        assertEquals(200, frank.put("/api/v1/namespaces/_/actions/counted",
                WispClient.nodeAction("function main() { return {}; }")).status());
        SubjectsAndThrottlesIT.awaitFreshMinute();
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 9; i++) { // the gateway sends three to each controller
            int status = frank.post("/api/v1/namespaces/_/actions/counted", "{}").status();
            if (status == 202) {
                accepted++;
            } else if (status == 429) {
                refused++;
            }
        }
        assertEquals(6, accepted, "accepted of 9 with a limit of 6 per minute");
        assertEquals(3, refused);
    }
}
