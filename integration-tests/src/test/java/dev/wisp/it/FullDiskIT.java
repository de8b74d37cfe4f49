package dev.wisp.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.config.Settings;
import dev.wisp.standalone.Standalone;
import dev.wisp.standalone.StandaloneConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * A disk fills up under load, in a standalone whose store or Kafka log lives on a 64 MB tmpfs that another file
 * then fills. New invokes are refused with 503 JSON and {@code Retry-After}, nothing accepted is lost, and once
 * the space is back every accepted activation gets its record and new work is accepted again.
 * <ul>
 * <li>The store: records wait instead of failing (the invoker declares itself unhealthy once the store has taken
 * no record for 20 s); PouchDB Server itself exits on a full disk, and its supervisor keeps starting it again,
 * with growing pauses.</li>
 * <li>Kafka: the broker halts its JVM when its log directory fails; it is a supervised child process of its
 * own, so the controller refuses invokes it cannot publish (503) and the broker is started again, on the same
 * log, until it stays up once there is room.</li>
 * </ul>
 */
class FullDiskIT {

    @Test
    void aFullStoreDiskRefusesNewWorkAndLosesNothing() throws Exception {
        fillUnderLoad("store", ".*(invoker|store).*", w -> w.store().restarts());
    }

    @Test
    void aFullKafkaDiskRefusesNewWorkAndLosesNothing() throws Exception {
        fillUnderLoad("kafka", ".+", w -> w.kafka().restarts());
    }

    /**
     * @param dir     the standalone's data subdirectory put on the small disk
     * @param refusal what the 503's error message must match
     * @param restarts how often the process whose disk filled was started again (it exits on a full disk)
     */
    private static void fillUnderLoad(String dir, String refusal, ToIntFunction<Standalone> restarts)
            throws Exception {
        WispFixture.release(); // a Wisp of its own, on a small disk
        Path data = Files.createTempDirectory("wisp-full-" + dir + "-");
        Path small = Files.createDirectories(data.resolve(dir));
        run("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", small.toString());
        Path filler = small.resolve("filler");
        String label = "[full " + dir + "] ";
        try (Standalone wisp = new Standalone(StandaloneConfig.from(new Settings(Map.of(
                "standalone.data", data.toString(), "gateway.port", "0", "standalone.wskprops", "false",
                "invoker.name", "full-" + dir + "-" + ProcessHandle.current().pid(), "invoker.memory.mb", "512"))),
                step -> System.out.println(label + step))) {
            wisp.start();
            WispClient client = new WispClient(wisp.apiHost(), wisp.guestAuth());
            assertEquals(200, client.put("/api/v1/namespaces/_/actions/full?overwrite=true",
                    WispClient.nodeAction("function main(p) { return {n: p.n}; }")).status());
            assertEquals(200, client.post("/api/v1/namespaces/_/actions/full?blocking=true", "{\"n\":0}").status());

            fill(filler);
            Set<String> accepted = ConcurrentHashMap.newKeySet();
            Map<Integer, Integer> statuses = new ConcurrentHashMap<>(); // 0: no answer
            AtomicReference<WispClient.Response> refused = new AtomicReference<>();
            AtomicReference<WispClient.Response> unexpected = new AtomicReference<>();
            AtomicBoolean loading = new AtomicBoolean(true);
            Thread load = Thread.ofVirtual().start(() -> {
                for (int n = 1; loading.get(); n++) {
                    try {
                        Thread.sleep(20); // the client's pace: 50 invokes a second at most
                    } catch (InterruptedException stop) {
                        return;
                    }
                    WispClient.Response r;
                    try {
                        r = client.post("/api/v1/namespaces/_/actions/full", "{\"n\":" + n + "}");
                    } catch (AssertionError noAnswer) {
                        statuses.merge(0, 1, Integer::sum); // no id, so nothing to lose; counted and shown
                        continue;
                    }
                    statuses.merge(r.status(), 1, Integer::sum);
                    if (r.status() == 202) {
                        accepted.add(r.json().path("activationId").asText());
                    } else if (r.status() == 503) {
                        refused.compareAndSet(null, r);
                    } else if (r.status() != 429) { // 429: the namespace's concurrency limit, while records wait
                        unexpected.compareAndSet(null, r);
                    }
                }
            });
            await().atMost(Duration.ofSeconds(90)).until(() -> refused.get() != null);
            assertTrue(refused.get().json().path("error").asText().matches(refusal), refused.get().toString());
            assertEquals("1", refused.get().headers().firstValue("Retry-After").orElse(null));

            Files.delete(filler); // the operator makes room
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    accepted.stream().allMatch(id -> client.get("/api/v1/namespaces/_/activations/" + id)
                            .status() == 200));
            int before = statuses.getOrDefault(202, 0);
            await().atMost(Duration.ofSeconds(60)).until(() -> statuses.getOrDefault(202, 0) > before + 10);
            loading.set(false);
            load.join();
            assertEquals(null, unexpected.get(), "an answer other than 202, 429 or 503");
            // the ids accepted after the wait above ran a moment before the load stopped: their records come too
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    accepted.forEach(id -> assertEquals(200, client.get("/api/v1/namespaces/_/activations/" + id)
                            .status(), "lost: " + id)));
            assertTrue(restarts.applyAsInt(wisp) > 0, "the process on the full disk never died: no fault tested");
            System.out.printf("%sstatuses %s, %d accepted, 0 lost, Kafka restarted %d times, the store %d times%n",
                    label, statuses, accepted.size(), wisp.kafka().restarts(), wisp.store().restarts());
        } finally {
            Files.deleteIfExists(filler);
            run("umount", "-l", small.toString());
        }
    }

    /** Writes a file until the disk it is on is full. */
    private static void fill(Path file) {
        byte[] mb = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(mb);
                out.flush();
            }
        } catch (IOException full) {
            // No space left on device: the point
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertEquals(0, p.waitFor(), String.join(" ", command) + " failed");
    }
}
