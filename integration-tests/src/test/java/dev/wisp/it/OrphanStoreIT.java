package dev.wisp.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.standalone.store.PouchDbServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store a standalone starts does not outlive it: when the standalone's JVM is killed (it then stops nothing),
 * its store exits by itself, and the data directory is free for the next start instead of locked by a store
 * nobody runs.
 */
class OrphanStoreIT {

    @Test
    void aStoreWhoseStandaloneWasKilledExitsAndTheNextStoreOpensTheSameData(@TempDir Path data) throws Exception {
        Process owner = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Owner.class.getName(), data.toString())
                .redirectErrorStream(true).start();
        long storePid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("store "), "the owner started its store: " + line);
            storePid = Long.parseLong(line.substring("store ".length()));
            owner.destroyForcibly(); // kill -9: no shut-down hook, nothing stopped
            assertTrue(owner.waitFor(30, TimeUnit.SECONDS));
        }
        await().atMost(Duration.ofSeconds(15))
                .until(() -> ProcessHandle.of(storePid).map(h -> !h.isAlive()).orElse(true));

        // the same data directory serves a new store: no lock left behind
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (PouchDbServer next = new PouchDbServer(Owner.bin(), data, port)) {
            next.start(Duration.ofSeconds(60));
            HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(next.url() + "/orphan_check")).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, put.statusCode(), put.body());
        }
    }

    /** A stand-in for a standalone's JVM: starts a store on the directory in its arguments, says its pid, waits. */
    public static final class Owner {
        static Path bin() {
            // where ./wisp setup installs it, as the standalone finds it
            return Path.of(System.getenv().getOrDefault("WISP_HOME", System.getProperty("user.home") + "/.wisp"),
                    "tools", "pouchdb-server", "node_modules", ".bin", "pouchdb-server");
        }

        public static void main(String[] args) throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            PouchDbServer store = new PouchDbServer(bin(), Path.of(args[0]), port);
            store.start(Duration.ofSeconds(60));
            System.out.println("store " + store.pid());
            System.out.flush();
            Thread.sleep(300_000);
            store.close();
        }
    }
}
