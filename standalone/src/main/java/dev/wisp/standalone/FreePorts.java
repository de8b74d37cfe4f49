package dev.wisp.standalone;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for servers started a moment later (the embedded ZooKeeper, the Kafka broker, the store). They come from
 * below the kernel's ephemeral range (32768 and up by default), which outgoing connections take their local ports
 * from: a port the kernel handed out for {@code bind(0)} could become some connection's local port before the
 * server binds it ("Address already in use"), one from here cannot. Never the same port twice in one JVM.
 */
public final class FreePorts {
    private static final int LOWEST = 20_000;
    private static final int HIGHEST = 32_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A port nothing listens on now, on any address, and not handed out before by this JVM. */
    public static int take() {
        for (int attempt = 0; attempt < 2_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST);
            if (HANDED_OUT.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(port));
            } catch (IOException inUse) {
                continue;
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + LOWEST + " and " + HIGHEST);
    }
}
