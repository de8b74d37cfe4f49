package dev.wisp.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.wisp.standalone.Standalone;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The command line ({@code ./wisp action ...}) as a user runs it: the launcher as a child process, configured by a
 * wskprops file ({@code WSK_CONFIG_FILE}) for a namespace of its own on this JVM's Wisp; what it prints and its
 * exit codes. One test per verb group, plus function folders packed as a zip and built into an image.
 */
class CliIT {
    private static final Path LAUNCHER = Path.of("..", "wisp").toAbsolutePath().normalize();
    private static Path work;
    private static Path props;
    private static String namespace;

    /** One run: its exit code, stdout and stderr. */
    record Run(int exit, String out, String err) {
        JsonElement json() {
            return JsonParser.parseString(out);
        }

        Run ok() {
            assertEquals(0, exit, "the command failed: " + this);
            return this;
        }
    }

    @BeforeAll
    static void wskprops() throws IOException {
        Standalone wisp = WispFixture.get();
        namespace = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        String auth = Admin.newUser(namespace).auth();
        work = Files.createTempDirectory("wisp-cli-it-");
        props = work.resolve("wskprops");
        Files.writeString(props, "APIHOST=" + wisp.apiHost() + "\nAUTH=" + auth + "\n");
    }

    static Run cli(String... args) {
        return cli(List.of(), args);
    }

    static Run cli(List<String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(work, "out-", ".txt");
            Path err = Files.createTempFile(work, "err-", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("WSK_CONFIG_FILE", props.toString());
            pb.environment().keySet().removeIf(k -> k.startsWith("__OW_"));
            for (String e : env) {
                pb.environment().put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
            }
            Process p = pb.start();
            if (!p.waitFor(3, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish within 3 minutes");
            }
            Run run = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            System.out.println("[cli] $ wisp " + String.join(" ", args) + "  -> exit " + run.exit());
            run.out().lines().forEach(l -> System.out.println("[cli]   " + l));
            run.err().lines().forEach(l -> System.out.println("[cli] ! " + l));
            return run;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Path file(String name, String text) throws IOException {
        Path p = work.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void actionsAndActivations() throws IOException {
        assertTrue(cli("property", "get").ok().out().contains(props.toString()), "the values' source is the file");
        Path hello = file("hello.js", "function main(p) { console.log('called with ' + p.name);"
                + " return {greeting: p.greeting + ', ' + p.name}; }");
        assertEquals("ok: created action hello\n", cli("action", "create", "hello", hello.toString(),
                "-p", "greeting", "Hi", "--memory", "200", "-t", "5000").ok().out());
        Run dup = cli("action", "create", "hello", hello.toString());
        assertEquals(1, dup.exit());
        assertTrue(dup.err().matches("(?s)error: Unable to create action 'hello': .*\\(code: \\w+\\) \\[HTTP 409].*"),
                dup.err());

        String table = cli("action", "list").ok().out();
        assertTrue(table.startsWith("ACTION"), table);
        assertTrue(table.contains("/" + namespace + "/hello") && table.contains("nodejs:"), table);
        JsonObject got = cli("action", "get", "hello", "--json").ok().json().getAsJsonObject();
        assertEquals(200, got.getAsJsonObject("limits").get("memory").getAsInt());
        assertEquals(5000, got.getAsJsonObject("limits").get("timeout").getAsInt());

        JsonObject result = cli("action", "invoke", "hello", "-r", "-p", "name", "Ada").ok().json().getAsJsonObject();
        assertEquals("Hi, Ada", result.get("greeting").getAsString());
        Run blocking = cli("action", "invoke", "hello", "-b", "-p", "name", "Bo");
        assertTrue(blocking.ok().out().startsWith("ok: invoked hello with id "), blocking.out());
        String id = blocking.out().lines().findFirst().orElseThrow().replaceAll(".* ", "");

        await().alias("the activation in the list").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> cli("activation", "list", "hello").out().contains(id));
        assertTrue(cli("activation", "logs", id).ok().out().contains("stdout: called with Bo"));
        assertTrue(cli("activation", "list", "--since", "10m", "-l", "50").ok().out().contains(id));
        String polled = cli("activation", "poll", "hello", "--since-seconds", "600", "--exit", "2").ok().out();
        assertTrue(polled.contains("Activation: 'hello' (" + id + ") success") && polled.contains("called with Bo"),
                polled);
        assertTrue(cli("activation", "logs", "-f", "hello", "--since-seconds", "600", "--exit", "2").ok().out()
                .contains("stdout: called with Bo"));
        assertEquals("called with Bo", cli("activation", "logs", id, "--strip").ok().out().strip());
        assertEquals("Hi, Bo", cli("activation", "result", id).ok().json().getAsJsonObject().get("greeting").getAsString());
        JsonObject activation = cli("activation", "get", id, "--json").ok().json().getAsJsonObject();
        assertEquals("success", activation.getAsJsonObject("response").get("status").getAsString());
        assertTrue(cli("activation", "get", "--last", "--json").ok().json().getAsJsonObject().has("activationId"));

        Path fail = file("fail.js", "function main(p) { return {error: 'no ' + p.x}; }");
        cli("action", "create", "fail", fail.toString()).ok();
        Run failed = cli("action", "invoke", "fail", "-r", "-p", "x", "luck");
        assertEquals(1, failed.exit(), "a failed action is a failed command");
        assertTrue(failed.err().contains("the action failed: no luck (activation "), failed.err());

        cli("action", "create", "wrap", file("wrap.py", "def main(p):\n    return {'wrapped': p['greeting']}\n")
                .toString()).ok();
        cli("action", "create", "both", "--sequence", "hello,wrap").ok();
        assertEquals("Hi, Cy", cli("action", "invoke", "both", "-r", "-p", "name", "Cy").ok().json()
                .getAsJsonObject().get("wrapped").getAsString(), "the sequence ran both");
        assertEquals(1, cli("action", "get", "hello", "--save").exit(), "hello.js is there: not overwritten");
        assertTrue(cli("action", "get", "hello", "--save-as", "saved.js").ok().out().startsWith("ok: saved action code to "));
        assertEquals(Files.readString(hello), Files.readString(work.resolve("saved.js")), "the code saved back");
        cli("action", "update", "hello", "--web", "true").ok();
        assertTrue(cli("action", "get", "hello", "--url").ok().out().contains("/web/" + namespace + "/default/hello"));

        for (String name : List.of("both", "wrap", "fail", "hello")) {
            assertEquals("ok: deleted action " + name + "\n", cli("action", "delete", name).ok().out());
        }
        Run gone = cli("action", "get", "hello");
        assertEquals(1, gone.exit());
        assertTrue(gone.err().contains("does not exist") && gone.err().contains("[HTTP 404]"), gone.err());
    }

    @Test
    void commandLineMistakesAndAnUnreachableHost() {
        Run unknownFlag = cli("action", "invoke", "x", "--bogus");
        assertEquals(2, unknownFlag.exit());
        assertTrue(unknownFlag.err().contains("unknown flag --bogus"), unknownFlag.err());
        assertEquals(2, cli("action", "create").exit(), "no name");
        Run unreachable = cli(List.of("__OW_API_HOST=http://127.0.0.1:1"), "action", "list");
        assertEquals(3, unreachable.exit());
        assertTrue(unreachable.err().contains("cannot reach the API host http://127.0.0.1:1"), unreachable.err());
        Run help = cli("action", "help").ok();
        assertTrue(help.out().contains("./wisp action invoke NAME"), help.out());
    }

    @Test
    void triggersRulesPackagesAndNamespaces() throws IOException {
        assertTrue(cli("namespace", "list").ok().out().contains(namespace));
        Path echo = file("echo.js", "function main(p) { console.log('echo ' + JSON.stringify(p)); return p; }");
        cli("action", "create", "echo", echo.toString()).ok();
        assertEquals("ok: created trigger ring\n", cli("trigger", "create", "ring", "-p", "from", "trigger").ok().out());
        assertEquals("ok: created rule ringing\n", cli("rule", "create", "ringing", "ring", "echo").ok().out());
        String rules = cli("rule", "list").ok().out();
        assertTrue(rules.contains("ringing") && rules.contains("active") && rules.contains("/" + namespace + "/ring"), rules);
        assertTrue(cli("trigger", "list").ok().out().contains("/" + namespace + "/ring"));

        Run fired = cli("trigger", "fire", "ring", "-p", "n", "1").ok();
        assertTrue(fired.out().startsWith("ok: triggered ring with id "), fired.out());
        await().alias("the rule's activation of echo").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    String logs = cli("activation", "logs", "--last", "--name", "echo").out();
                    return logs.contains("\"from\":\"trigger\"") && logs.contains("\"n\":1");
                });

        assertEquals("ok: disabled rule ringing\n", cli("rule", "disable", "ringing").ok().out());
        assertEquals("\"inactive\"", cli("rule", "get", "ringing", "status").ok().out().strip());
        assertTrue(cli("trigger", "fire", "ring").ok().out().contains("no active rule"));
        cli("rule", "enable", "ringing").ok();

        cli("package", "create", "tools", "-p", "base", "b", "--shared", "no").ok();
        cli("action", "create", "tools/echo", echo.toString()).ok();
        assertEquals("ok: created binding bound of tools\n",
                cli("package", "bind", "tools", "bound", "-p", "extra", "e").ok().out());
        String packages = cli("package", "list").ok().out();
        assertTrue(packages.contains("/" + namespace + "/tools") && packages.contains("binding"), packages);
        assertTrue(cli("action", "list", "tools").ok().out().contains("/" + namespace + "/tools/echo"));
        JsonObject viaBinding = cli("action", "invoke", "bound/echo", "-r").ok().json().getAsJsonObject();
        assertEquals("b", viaBinding.get("base").getAsString(), "the package's parameter");
        assertEquals("e", viaBinding.get("extra").getAsString(), "the binding's parameter");

        cli("rule", "delete", "ringing").ok();
        cli("trigger", "delete", "ring").ok();
        cli("package", "delete", "bound").ok();
        cli("action", "delete", "tools/echo").ok();
        cli("package", "delete", "tools").ok();
        assertFalse(cli("rule", "list").ok().out().contains("ringing"));
    }

    @Test
    void aFolderWithNodeModulesIsZippedWithoutWhatLiesOutsideIt() throws IOException {
        Path secret = file("secret.txt", "not for the action");
        Path dir = work.resolve("greeter");
        file("greeter/wisp.json", "{\"kind\": \"nodejs:20\", \"limits\": {\"memory\": 128}, \"params\": {\"who\": \"folder\"}}");
        file("greeter/package.json", "{\"name\": \"greeter\", \"main\": \"lib/main.js\"}");
        file("greeter/lib/main.js", "const shout = require('shout'); const fs = require('fs'); const path = require('path');\n"
                + "exports.main = p => ({said: shout(p.who), files: fs.readdirSync(path.join(__dirname, '..')).sort()});");
        file("greeter/node_modules/shout/index.js", "module.exports = s => s.toUpperCase() + '!';");
        Files.createSymbolicLink(dir.resolve("secret.txt"), secret);

        Run created = cli("action", "create", "greeter", dir.toString()).ok();
        assertTrue(created.err().contains("skipped secret.txt: a link to outside the folder"), created.err());
        JsonObject result = cli("action", "invoke", "greeter", "-r").ok().json().getAsJsonObject();
        assertEquals("FOLDER!", result.get("said").getAsString());
        assertEquals("[\"lib\",\"node_modules\",\"package.json\"]", result.get("files").toString());
        assertEquals(128, cli("action", "get", "greeter", "--json").ok().json().getAsJsonObject()
                .getAsJsonObject("limits").get("memory").getAsInt());

        file("broken/wisp.json", "{\"kind\": \"nodejs:20\", \"mian\": \"x\"}");
        Run broken = cli("action", "create", "broken", work.resolve("broken").toString());
        assertEquals(2, broken.exit());
        assertTrue(broken.err().contains("broken/wisp.json: unknown key 'mian'"), broken.err());
        file("nomain/wisp.json", "{\"kind\": \"python:3.11\"}");
        Run noMain = cli("action", "create", "nomain", work.resolve("nomain").toString());
        assertTrue(noMain.err().contains("nomain/__main__.py: missing"), noMain.err());
    }

    @Test
    void aFolderWithADockerfileBecomesALocalImage() throws Exception {
        file("imaged/Dockerfile", "FROM wisp/action-blackbox:latest\nCOPY greet.py /action/exec\n");
        Path program = file("imaged/greet.py", "#!/usr/bin/env python3\nimport json, sys\n"
                + "args = json.loads(sys.argv[1])\nprint('log from the image')\n"
                + "print(json.dumps({'image': True, 'name': args.get('name')}))\n");
        assertTrue(program.toFile().setExecutable(true, false));
        Run built = cli("action", "create", "imaged", work.resolve("imaged").toString()).ok();
        assertTrue(built.err().contains("building image wisp-fn/imaged:") && built.err().contains("Step 1/"),
                "the build's progress is shown: " + built.err());
        String image = cli("action", "get", "imaged", "exec").ok().json().getAsJsonObject().get("image").getAsString();
        try {
            Run invoked = cli("action", "invoke", "imaged", "-b", "-p", "name", "Dee", "--json").ok();
            JsonObject activation = invoked.json().getAsJsonObject();
            assertEquals("Dee", activation.getAsJsonObject("response").getAsJsonObject("result").get("name").getAsString());
            assertTrue(activation.getAsJsonArray("logs").toString().contains("log from the image"), invoked.out());
            assertTrue(cli("action", "update", "imaged", work.resolve("imaged").toString()).ok().err()
                    .contains("is up to date"), "an unchanged folder is not built again");

            file("remote/Dockerfile", "FROM example.org/not/here:1\n");
            Run remote = cli("action", "create", "remote", work.resolve("remote").toString());
            assertEquals(2, remote.exit());
            assertTrue(remote.err().contains("remote/Dockerfile: line 1: FROM example.org/not/here:1 is not an image"
                    + " on the local Docker engine"), remote.err());
        } finally {
            cli("action", "delete", "imaged");
            new ProcessBuilder("docker", "rmi", "-f", image).start().waitFor();
        }
    }
}
