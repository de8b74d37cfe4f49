package dev.wisp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Every kind through the whole real path: hello with its logs, a returned error, a thrown error, the time limit,
 * 20 MB of output truncated, concurrent activations; and a user's own Docker image.
 */
class KindsIT {
    private static WispClient wisp;

    @BeforeAll
    static void start() {
        wisp = WispFixture.client();
    }

    enum Behaviour { HELLO, ERROR, THROW, SLEEP, FLOOD, CONCURRENT, HOG, FORKS }

    /** The {@code exec} of an action of {@code kind} that behaves as asked. */
    static ObjectNode exec(String kind, Behaviour b) {
        ObjectNode exec = WispClient.JSON.createObjectNode();
        switch (kind) {
            case "nodejs" -> exec.put("kind", "nodejs:default").put("code", switch (b) {
                case HELLO -> "function main(p) { console.log('hello log'); return { greeting: 'Hello, ' + p.name }; }";
                case ERROR -> "function main() { return { error: 'bad input' }; }";
                case THROW -> "function main() { throw new Error('boom'); }";
                case SLEEP -> "function main() { return new Promise(r => setTimeout(() => r({}), 5000)); }";
                case FLOOD -> "function main() { const l = 'x'.repeat(1023); for (let i = 0; i < 20480; i++) console.log(l); return {}; }";
                case CONCURRENT -> "async function main(p) { console.log('start ' + p.n); await new Promise(r => setTimeout(r, 300));"
                        + " console.log('end ' + p.n); return { n: p.n }; }";
                case HOG -> "function main() { const a = []; for (let i = 0; i < 64; i++) a.push(Buffer.alloc(16 << 20, 1));"
                        + " return { n: a.length }; }";
                case FORKS -> "function main() { const { spawn } = require('child_process'); let ok = 0, failed = 0;"
                        + " for (let i = 0; i < 2000; i++) { try { spawn('sleep', ['30']).on('error', () => failed++); ok++; }"
                        + " catch (e) { failed++; } } return new Promise(r => setTimeout(() => r({ ok, failed }), 1000)); }";
            });
            case "python" -> exec.put("kind", "python:3.11").put("code", switch (b) {
                case HELLO -> "def main(args):\n    print('hello log')\n    return {'greeting': 'Hello, ' + args['name']}\n";
                case ERROR -> "def main(args):\n    return {'error': 'bad input'}\n";
                case THROW -> "def main(args):\n    raise ValueError('boom')\n";
                case SLEEP -> "import time\ndef main(args):\n    time.sleep(5)\n    return {}\n";
                case FLOOD -> "def main(args):\n    l = 'x' * 1023\n    for i in range(20480):\n        print(l)\n    return {}\n";
                case CONCURRENT -> "import time\ndef main(args):\n    print('start %d' % args['n'])\n    time.sleep(0.3)\n"
                        + "    print('end %d' % args['n'])\n    return {'n': args['n']}\n";
                case HOG -> "def main(args):\n    a = [bytearray(16 << 20) for _ in range(64)]\n    return {'n': len(a)}\n";
                case FORKS -> "import subprocess\ndef main(args):\n    ok = failed = 0\n    for i in range(2000):\n"
                        + "        try:\n            subprocess.Popen(['sleep', '30'])\n            ok += 1\n"
                        + "        except OSError:\n            failed += 1\n    return {'ok': ok, 'failed': failed}\n";
            });
            case "java" -> exec.put("kind", "java:default").put("binary", true).put("main", "Action").put("code",
                    JavaActions.jar(switch (b) {
                        case HELLO -> "System.out.println(\"hello log\");"
                                + " out.addProperty(\"greeting\", \"Hello, \" + args.get(\"name\").getAsString()); return out;";
                        case ERROR -> "out.addProperty(\"error\", \"bad input\"); return out;";
                        case THROW -> "throw new IllegalStateException(\"boom\");";
                        case SLEEP -> "Thread.sleep(5000); return out;";
                        case FLOOD -> "String l = \"x\".repeat(1023); for (int i = 0; i < 20480; i++) System.out.println(l); return out;";
                        case CONCURRENT -> "int n = args.get(\"n\").getAsInt(); System.out.println(\"start \" + n);"
                                + " Thread.sleep(300); System.out.println(\"end \" + n); out.addProperty(\"n\", n); return out;";
                        case HOG -> "java.util.List<byte[]> a = new java.util.ArrayList<>(); for (int i = 0; i < 64; i++)"
                                + " a.add(new byte[16 << 20]); out.addProperty(\"n\", a.size()); return out;";
                        case FORKS -> "int ok = 0, failed = 0; for (int i = 0; i < 2000; i++) { try {"
                                + " new ProcessBuilder(\"sleep\", \"30\").start(); ok++; } catch (Exception e) { failed++; } }"
                                + " out.addProperty(\"ok\", ok); out.addProperty(\"failed\", failed); return out;";
                    }));
            case "blackbox" -> exec.put("kind", "blackbox").put("code", switch (b) {
                case HELLO -> "#!/bin/sh\necho 'hello log'\nname=$(echo \"$1\" | sed -n 's/.*\"name\": *\"\\([^\"]*\\)\".*/\\1/p')\n"
                        + "echo \"{\\\"greeting\\\": \\\"Hello, $name\\\"}\"\n";
                case ERROR -> "#!/bin/sh\necho '{\"error\": \"bad input\"}'\n";
                case THROW -> "#!/bin/sh\necho 'boom' >&2\nexit 3\n";
                case SLEEP -> "#!/bin/sh\nsleep 5\necho '{}'\n";
                case FLOOD -> "#!/bin/sh\nhead -c 20971520 /dev/zero | tr '\\0' 'x' | fold -w 1023\necho\necho '{}'\n";
                case CONCURRENT -> throw new IllegalArgumentException("one process per activation");
                case HOG -> "#!/usr/bin/env python3\na = [bytearray(16 << 20) for _ in range(64)]\nprint('{}')\n";
                case FORKS -> "#!/bin/sh\nfor i in $(seq 2000); do sleep 30 & done 2>/dev/null\necho '{}'\n";
            });
            default -> throw new IllegalArgumentException(kind);
        }
        return exec;
    }

    private static String create(String kind, Behaviour b, int timeoutMs, int logsMb, int concurrency) {
        return create(kind, b, timeoutMs, logsMb, concurrency, 256);
    }

    private static String create(String kind, Behaviour b, int timeoutMs, int logsMb, int concurrency, int memoryMb) {
        String path = "/api/v1/namespaces/_/actions/kinds-" + kind + "-" + b.name().toLowerCase();
        ObjectNode body = WispClient.JSON.createObjectNode();
        body.set("exec", exec(kind, b));
        body.putObject("limits").put("timeout", timeoutMs).put("memory", memoryMb).put("logs", logsMb)
                .put("concurrency", concurrency);
        WispClient.Response r = wisp.put(path + "?overwrite=true", body.toString());
        assertEquals(200, r.status(), r.toString());
        return path;
    }

    private static JsonNode response(WispClient.Response r) {
        return r.json().path("response");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java", "blackbox"})
    void helloWithItsLogs(String kind) {
        WispClient.Response r = wisp.post(create(kind, Behaviour.HELLO, 30_000, 10, 1) + "?blocking=true",
                "{\"name\": \"Wisp\"}");
        assertEquals(200, r.status(), r.toString());
        assertEquals("Hello, Wisp", response(r).path("result").path("greeting").asText(), r.toString());
        List<String> logs = ActionLifecycleIT.texts(r.json().path("logs"));
        assertTrue(logs.stream().anyMatch(l -> l.endsWith("stdout: hello log")), logs.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java", "blackbox"})
    void aReturnedErrorIsAnApplicationError(String kind) {
        assertEquals("bad input", failed(kind, Behaviour.ERROR, "application error").path("error").asText());
    }

    /** Runs an action of {@code kind} that fails as {@code how}: a 502 with {@code status}; returns its result. */
    private static JsonNode failed(String kind, Behaviour how, String status) {
        WispClient.Response r = wisp.post(create(kind, how, 30_000, 10, 1) + "?blocking=true", "{}");
        assertEquals(502, r.status(), r.toString());
        assertEquals(status, response(r).path("status").asText(), r.toString());
        return response(r).path("result");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java", "blackbox"})
    void aThrownErrorIsADeveloperError(String kind) {
        String error = failed(kind, Behaviour.THROW, "action developer error").path("error").asText();
        assertTrue(kind.equals("blackbox") ? error.contains("exit code 3") : error.contains("boom"), error);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java", "blackbox"})
    void theTimeLimitHolds(String kind) {
        WispClient.Response r = wisp.post(create(kind, Behaviour.SLEEP, 1_000, 10, 1) + "?blocking=true", "{}");
        assertEquals(502, r.status(), r.toString());
        assertEquals("The action exceeded its time limits of 1000 milliseconds.",
                response(r).path("result").path("error").asText(), r.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java", "blackbox"})
    void twentyMegabytesOfOutputAreTruncated(String kind) {
        WispClient.Response r = wisp.post(create(kind, Behaviour.FLOOD, 60_000, 2, 1) + "?blocking=true", "{}");
        assertEquals(200, r.status(), r.status() + " " + r.body().substring(0, Math.min(400, r.body().length())));
        JsonNode logs = r.json().path("logs");
        long bytes = 0;
        for (JsonNode l : logs) {
            bytes += l.asText().length();
        }
        assertTrue(bytes < 3 * 1024 * 1024, kind + ": logs must be capped near 2 MB, got " + bytes);
        String last = logs.get(logs.size() - 1).asText();
        assertTrue(last.contains("Logs were truncated") && last.contains("2097152"), last);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java"})
    void concurrentActivationsKeepTheirOwnLogs(String kind) throws Exception {
        String path = create(kind, Behaviour.CONCURRENT, 30_000, 10, 4);
        assertEquals(200, wisp.post(path + "?blocking=true", "{\"n\": 0}").status());
        List<CompletableFuture<WispClient.Response>> calls = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            int n = i;
            calls.add(CompletableFuture.supplyAsync(() -> wisp.post(path + "?blocking=true", "{\"n\": " + n + "}")));
        }
        for (int i = 1; i <= 4; i++) {
            String own = " " + i;
            WispClient.Response r = calls.get(i - 1).get();
            assertEquals(200, r.status(), r.toString());
            List<String> logs = ActionLifecycleIT.texts(r.json().path("logs"));
            assertEquals(2, logs.size(), kind + ": " + logs);
            assertFalse(logs.stream().anyMatch(l -> !l.endsWith(own)), kind + ": another activation's line: " + logs);
        }
    }

    /**
     * 1 GB asked of a 128 MB action. Where the kernel kills the runtime, the record says the memory ran out; Java
     * hits its own heap limit first and reports the OutOfMemoryError; an executable's runtime outlives its killed
     * child and says how the child died.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java", "blackbox"})
    void theMemoryLimitHolds(String kind) {
        WispClient.Response r = wisp.post(create(kind, Behaviour.HOG, 30_000, 10, 1, 128) + "?blocking=true", "{}");
        assertEquals(502, r.status(), r.toString());
        String error = response(r).path("result").path("error").asText();
        switch (kind) {
            case "java" -> assertTrue(error.contains("OutOfMemoryError"), r.toString());
            case "blackbox" -> assertTrue(error.contains("killed by SIGKILL"), r.toString());
            default -> assertEquals("The action exhausted its memory and was aborted.", error, r.toString());
        }
    }

    /** 2,000 processes asked of a container limited to 256: the action cannot take the invoker down with it. */
    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python", "java", "blackbox"})
    void aForkBombStaysInItsContainer(String kind) {
        WispClient.Response bomb = wisp.post(create(kind, Behaviour.FORKS, 20_000, 10, 1) + "?blocking=true", "{}");
        assertTrue(bomb.status() == 200 || bomb.status() == 502, bomb.toString());
        if (bomb.status() == 200 && !kind.equals("blackbox")) {
            assertTrue(response(bomb).path("result").path("failed").asInt() > 0,
                    kind + ": the pids limit must stop most of the 2,000 processes: " + bomb);
        }
        WispClient.Response fine = wisp.post(create(kind, Behaviour.HELLO, 30_000, 10, 1) + "?blocking=true",
                "{\"name\": \"after\"}");
        assertEquals(200, fine.status(), fine.toString());
    }

    @Test
    void aUsersOwnImageRunsWithLogsFromDocker() throws Exception {
        Path dir = Files.createTempDirectory("wisp-user-image-");
        Files.writeString(dir.resolve("server.py"), """
                import json, sys
                from http.server import BaseHTTPRequestHandler, HTTPServer
                class H(BaseHTTPRequestHandler):
                    protocol_version = 'HTTP/1.1'
                    def do_POST(self):
                        body = json.loads(self.rfile.read(int(self.headers['Content-Length'])) or b'{}')
                        if self.path == '/run':
                            name = body.get('value', {}).get('name', 'world')
                            print('user image log for ' + name, flush=True)
                            for s in (sys.stdout, sys.stderr):
                                print('XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX', file=s, flush=True)
                            out = {'greeting': 'Hello from my image, ' + name}
                        else:
                            out = {'OK': True}
                        data = json.dumps(out).encode()
                        self.send_response(200)
                        self.send_header('Content-Type', 'application/json')
                        self.send_header('Content-Length', str(len(data)))
                        self.end_headers()
                        self.wfile.write(data)
                    def log_message(self, *a):
                        pass
                HTTPServer(('0.0.0.0', 8080), H).serve_forever()
                """);
        Files.writeString(dir.resolve("Dockerfile"),
                "FROM wisp/base:bookworm\nCOPY server.py /server.py\nCMD [\"python3\", \"-u\", \"/server.py\"]\n");
        String image = "wisp-it/user-action:" + ProcessHandle.current().pid();
        Process build = new ProcessBuilder("docker", "build", "-q", "-t", image, dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(build.getInputStream().readAllBytes());
        assertEquals(0, build.waitFor(), out);
        try {
            String path = "/api/v1/namespaces/_/actions/users-image";
            ObjectNode body = WispClient.JSON.createObjectNode();
            body.putObject("exec").put("kind", "blackbox").put("image", image);
            assertEquals(200, wisp.put(path, body.toString()).status());
            WispClient.Response r = wisp.post(path + "?blocking=true", "{\"name\": \"Wisp\"}");
            assertEquals(200, r.status(), r.toString());
            assertEquals("Hello from my image, Wisp", response(r).path("result").path("greeting").asText());
            List<String> logs = ActionLifecycleIT.texts(r.json().path("logs"));
            assertEquals(1, logs.size(), logs.toString());
            assertTrue(logs.get(0).endsWith("stdout: user image log for Wisp"), logs.toString());
        } finally {
            new ProcessBuilder("docker", "rmi", "-f", image).start().waitFor();
        }
    }

}
