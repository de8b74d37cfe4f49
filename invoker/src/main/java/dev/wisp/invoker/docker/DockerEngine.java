package dev.wisp.invoker.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker Engine, through docker-java. Every call is blocking and runs on the {@code wisp-docker} worker
 * pool; the returned Futures complete on the caller's context.
 */
public final class DockerEngine implements ContainerEngine, AutoCloseable {
    /** The port every action runtime listens on. */
    public static final int RUNTIME_PORT = 8080;
    private static final String ICC_OPTION = "com.docker.network.bridge.enable_icc";
    private static final String BRIDGE_NAME_OPTION = "com.docker.network.bridge.name";
    private static final Logger LOG = LoggerFactory.getLogger(DockerEngine.class);

    private final DockerClient docker;
    private final WorkerExecutor workers;
    /** Whether the engine bounds a container's writable layer ({@code --storage-opt size}); null: not tried yet. */
    private volatile Boolean storageLimits;

    public DockerEngine(Vertx vertx, String dockerHost) {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost).build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(60))
                .build();
        this.docker = DockerClientImpl.getInstance(config, http);
        this.workers = vertx.createSharedWorkerExecutor("wisp-docker", 16);
    }

    private <T> Future<T> call(Callable<T> blocking) {
        return workers.executeBlocking(blocking, false);
    }

    /** Fails when the engine cannot be reached. */
    public Future<Void> ping() {
        return call(() -> {
            docker.pingCmd().exec();
            return null;
        });
    }

    public Future<Boolean> imageExists(String image) {
        return call(() -> {
            try {
                docker.inspectImageCmd(image).exec();
                return true;
            } catch (NotFoundException e) {
                return false;
            }
        });
    }

    /** The id ({@code sha256:...}) the engine resolves an image reference to; empty when it has no such image. */
    public Future<Optional<String>> imageId(String image) {
        return call(() -> {
            try {
                return Optional.ofNullable(docker.inspectImageCmd(image).exec().getId());
            } catch (NotFoundException e) {
                return Optional.empty();
            }
        });
    }

    /**
     * Creates the action network unless it exists: a bridge on which containers cannot reach one another (inter-
     * container traffic off), its host-side interface named after the network where the name fits. Returns what
     * the host firewall needs to know of it; an existing network is taken as it is (see
     * {@link BridgeNetwork#isolated()}).
     */
    @Override
    public Future<BridgeNetwork> ensureNetwork(String name) {
        return call(() -> {
            Network found = find(name);
            if (found == null) {
                Map<String, String> options = new HashMap<>();
                options.put(ICC_OPTION, "false");
                if (name.length() <= 15 && name.matches("[A-Za-z0-9_.-]+")) {
                    options.put(BRIDGE_NAME_OPTION, name);
                }
                try {
                    docker.createNetworkCmd().withName(name).withDriver("bridge").withOptions(options).exec();
                } catch (ConflictException e) {
                    // created concurrently
                }
                found = find(name);
                if (found == null) {
                    throw new IllegalStateException("the Docker network " + name + " vanished right after creation");
                }
            }
            return describe(found);
        });
    }

    /** An existing network; fails when there is none of that name. */
    public Future<BridgeNetwork> network(String name) {
        return call(() -> {
            Network found = find(name);
            if (found == null) {
                throw new IllegalStateException("there is no Docker network " + name);
            }
            return describe(found);
        });
    }

    private Network find(String name) {
        return docker.listNetworksCmd().withNameFilter(name).exec().stream()
                .filter(n -> n.getName().equals(name)).findFirst()
                .map(n -> docker.inspectNetworkCmd().withNetworkId(n.getId()).exec())
                .orElse(null);
    }

    private static BridgeNetwork describe(Network n) {
        Map<String, String> options = n.getOptions() == null ? Map.of() : n.getOptions();
        String bridge = options.getOrDefault(BRIDGE_NAME_OPTION, "br-" + n.getId().substring(0, 12));
        String gateway = null;
        if (n.getIpam() != null && n.getIpam().getConfig() != null) {
            gateway = n.getIpam().getConfig().stream().map(Network.Ipam.Config::getGateway)
                    .filter(g -> g != null && !g.isEmpty() && !g.contains(":")).findFirst().orElse(null);
        }
        if (gateway != null && gateway.contains("/")) {
            gateway = gateway.substring(0, gateway.indexOf('/'));
        }
        return new BridgeNetwork(n.getName(), "bridge".equals(n.getDriver()) ? bridge : null, gateway,
                "false".equals(options.get(ICC_OPTION)));
    }

    /**
     * Creates and starts a hardened container: no capabilities, no new privileges, bounded processes and open
     * files, memory without swap, a CPU weight (and quota) and, for users' own images, a bounded writable layer
     * where the engine's storage driver supports one.
     */
    @Override
    public Future<StartedContainer> start(ContainerSpec spec) {
        return call(() -> {
            long memory = spec.memoryMb() * 1024L * 1024L;
            HostConfig host = HostConfig.newHostConfig()
                    .withMemory(memory)
                    .withMemorySwap(memory)
                    .withCpuShares(spec.cpuShares())
                    .withNetworkMode(spec.network())
                    .withCapDrop(Capability.ALL)
                    .withSecurityOpts(List.of("no-new-privileges"))
                    .withPidsLimit(256L)
                    .withUlimits(List.of(new Ulimit("nofile", 1024L, 1024L)));
            if (spec.cpus() > 0) {
                host.withNanoCPUs((long) (spec.cpus() * 1e9));
            }
            if (spec.readOnlyRoot()) {
                host.withReadonlyRootfs(true).withTmpFs(Map.of("/tmp", "rw,nosuid,nodev,size=64m"));
            } else if (spec.diskMb() > 0 && !Boolean.FALSE.equals(storageLimits)) {
                host.withStorageOpt(Map.of("size", spec.diskMb() + "M"));
            }
            if (spec.publishPort()) {
                host.withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(RUNTIME_PORT)));
            }
            CreateContainerResponse created = create(spec, host);
            try {
                docker.startContainerCmd(created.getId()).exec();
                return address(spec, docker.inspectContainerCmd(created.getId()).exec());
            } catch (RuntimeException e) {
                removeQuietly(created.getId());
                throw e;
            }
        });
    }

    private CreateContainerResponse create(ContainerSpec spec, HostConfig host) {
        try {
            CreateContainerResponse created = docker.createContainerCmd(spec.image())
                    .withName(spec.name())
                    .withLabels(spec.labels())
                    .withEnv(envList(spec.env()))
                    .withExposedPorts(ExposedPort.tcp(RUNTIME_PORT))
                    .withHostConfig(host)
                    .exec();
            if (host.getStorageOpt() != null && storageLimits == null) {
                storageLimits = true;
            }
            return created;
        } catch (NotFoundException e) {
            throw new ImageMissingException(spec.image(), e);
        } catch (RuntimeException e) {
            if (host.getStorageOpt() == null || !String.valueOf(e.getMessage()).contains("storage-opt")) {
                throw e;
            }
            // overlay2 bounds a writable layer only on xfs with project quotas: without, the layer is unbounded
            storageLimits = false;
            LOG.warn("the Docker engine cannot bound a container's writable layer ({}); users' own images get an"
                    + " unbounded one", e.getMessage().trim());
            host.withStorageOpt(null);
            return create(spec, host);
        }
    }

    /**
     * Runs {@code sh -c script} on the Docker host itself, for an invoker that runs in a container: a one-shot
     * container of {@code image} in the host's network namespace with {@code NET_ADMIN} and {@code NET_RAW},
     * chrooted into the host's root, so the host's own tools (iptables) act on the host's network. Fails with the
     * script's output when it exits non-zero.
     */
    public Future<Void> runOnHost(String image, String script, Map<String, String> env) {
        return call(() -> {
            HostConfig host = HostConfig.newHostConfig().withNetworkMode("host")
                    .withCapAdd(Capability.NET_ADMIN, Capability.NET_RAW)
                    .withBinds(new Bind("/", new Volume("/host")));
            CreateContainerResponse created = docker.createContainerCmd(image)
                    .withName("wisp-host-" + UUID.randomUUID().toString().substring(0, 8))
                    .withLabels(Map.of("wisp.role", "host-shell"))
                    .withEntrypoint("chroot", "/host", "sh", "-c", script)
                    .withCmd(List.of())
                    .withEnv(envList(env))
                    .withHostConfig(host)
                    .exec();
            try {
                docker.startContainerCmd(created.getId()).exec();
                int exit = docker.waitContainerCmd(created.getId()).start().awaitStatusCode(60, TimeUnit.SECONDS);
                if (exit != 0) {
                    ContainerLogs logs = new ContainerLogs(Instant.EPOCH, 16_384);
                    docker.logContainerCmd(created.getId()).withStdOut(true).withStdErr(true).withTimestamps(true)
                            .exec(logs)
                            .awaitCompletion(5, TimeUnit.SECONDS);
                    throw new IllegalStateException("the script on the Docker host exited " + exit + ": "
                            + String.join(" / ", logs.lines()));
                }
                return null;
            } finally {
                removeQuietly(created.getId());
            }
        });
    }

    /** Docker's form of environment variables, {@code NAME=value}. */
    private static List<String> envList(Map<String, String> env) {
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    private static StartedContainer address(ContainerSpec spec, InspectContainerResponse inspect) {
        if (spec.publishPort()) {
            Ports.Binding[] bindings = inspect.getNetworkSettings().getPorts().getBindings()
                    .get(ExposedPort.tcp(RUNTIME_PORT));
            if (bindings == null || bindings.length == 0) {
                throw new IllegalStateException("container " + spec.name() + " has no published port");
            }
            return new StartedContainer(inspect.getId(), spec.name(), "127.0.0.1",
                    Integer.parseInt(bindings[0].getHostPortSpec()));
        }
        ContainerNetwork net = inspect.getNetworkSettings().getNetworks().get(spec.network());
        if (net == null || net.getIpAddress() == null || net.getIpAddress().isEmpty()) {
            throw new IllegalStateException("container " + spec.name() + " has no address on " + spec.network());
        }
        return new StartedContainer(inspect.getId(), spec.name(), net.getIpAddress(), RUNTIME_PORT);
    }

    /** Freezes an idle container's processes. */
    @Override
    public Future<Void> pause(String id) {
        return call(() -> {
            docker.pauseContainerCmd(id).exec();
            return null;
        });
    }

    /** Thaws a paused container. */
    @Override
    public Future<Void> unpause(String id) {
        return call(() -> {
            try {
                docker.unpauseContainerCmd(id).exec();
            } catch (DockerException e) {
                // running already (a pause that failed under load, "unable to freeze", leaves it so): what was asked
                if (e.getMessage() == null || !e.getMessage().contains("is not paused")) {
                    throw e;
                }
            }
            return null;
        });
    }

    /**
     * The log lines a container wrote since {@code sinceMillis}, for images that do not return their logs
     * themselves: each stream is read up to OpenWhisk's end-of-activation sentinel, and at most
     * {@code maxBytes} are kept, then a truncation notice.
     */
    public Future<List<String>> logsSince(String id, long sinceMillis, long maxBytes) {
        return call(() -> {
            ContainerLogs logs = new ContainerLogs(Instant.ofEpochMilli(sinceMillis), maxBytes);
            docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withTimestamps(true)
                    .withSince((int) (sinceMillis / 1000)).exec(logs).awaitCompletion(5, TimeUnit.SECONDS);
            return logs.lines();
        });
    }

    /**
     * Whether the kernel killed the container for running out of memory. The engine records it only once the
     * container has stopped, which can lag the dropped connection a little: wait up to two seconds for that.
     */
    public Future<Boolean> oomKilled(String id) {
        return call(() -> {
            for (int i = 0; i < 20; i++) {
                try {
                    InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(id).exec().getState();
                    if (Boolean.TRUE.equals(state.getOOMKilled())) {
                        return true;
                    }
                    if (!Boolean.TRUE.equals(state.getRunning())) {
                        return false;
                    }
                } catch (NotFoundException e) {
                    return false;
                }
                Thread.sleep(100);
            }
            return false;
        });
    }

    /** Force-removes a container; a missing one counts as removed. */
    @Override
    public Future<Void> remove(String id) {
        return call(() -> {
            removeQuietly(id);
            return null;
        });
    }

    /** Removes every container carrying {@code label=value}; returns how many. */
    @Override
    public Future<Integer> removeLabelled(String label, String value) {
        return call(() -> {
            List<Container> found = docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(label, value)).exec();
            found.forEach(c -> removeQuietly(c.getId()));
            return found.size();
        });
    }

    private void removeQuietly(String id) {
        try {
            docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // already gone
        } catch (ConflictException e) {
            // removal already in progress
        }
    }

    @Override
    public void close() throws IOException {
        workers.close();
        docker.close();
    }

    /** A container was asked of an image the engine does not have (and this machine pulls nothing). */
    public static final class ImageMissingException extends RuntimeException {
        ImageMissingException(String image, Throwable cause) {
            super("The image " + image + " is not present on the Docker engine.", cause);
        }
    }
}
