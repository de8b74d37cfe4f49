package dev.wisp.it.cluster;

import dev.wisp.standalone.FreePorts;

/** Free ports for servers a test starts later; never the same port twice in one JVM (see {@link FreePorts}). */
final class Ports {
    private Ports() {
    }

    static int free() {
        return FreePorts.take();
    }
}
