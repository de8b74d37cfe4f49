package dev.wisp.it.cluster;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link WispCluster} started before a test class's tests and closed after them, whatever happened:
 * {@code @RegisterExtension static final PerClassCluster running = WispCluster.builder().controllers(2).perClass();}
 */
public final class PerClassCluster implements BeforeAllCallback, AfterAllCallback {
    private final WispCluster.Builder builder;
    private WispCluster cluster;

    PerClassCluster(WispCluster.Builder builder) {
        this.builder = builder;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        cluster = builder.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    /** The running cluster. */
    public WispCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("the cluster runs only while the test class's tests do");
        }
        return cluster;
    }
}
