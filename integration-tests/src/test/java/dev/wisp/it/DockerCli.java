package dev.wisp.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The docker command, for what a test looks at on the engine (containers, networks, their settings). */
final class DockerCli {
    private DockerCli() {
    }

    /** Runs {@code docker args...} and returns what it printed; fails the test when it fails. */
    static String run(String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A container's address on a network. */
    static String ip(String container, String network) {
        return run("inspect", "-f", "{{(index .NetworkSettings.Networks \"" + network + "\").IPAddress}}", container)
                .trim();
    }

    /** Whether a container is paused (frozen). */
    static boolean paused(String container) {
        return run("inspect", "-f", "{{.State.Paused}}", container).trim().equals("true");
    }

    /** The host's address on a network (its gateway). */
    static String gateway(String network) {
        return run("network", "inspect", "-f", "{{(index .IPAM.Config 0).Gateway}}", network).trim();
    }

    /** Ids of the running containers with a label. */
    static List<String> withLabel(String label) {
        List<String> ids = new ArrayList<>();
        for (String id : run("ps", "-q", "--no-trunc", "--filter", "label=" + label).split("\\s+")) {
            if (!id.isBlank()) {
                ids.add(id);
            }
        }
        return ids;
    }
}
