package dev.wisp.it.cluster;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Runs the cluster a {@link WithCluster} test class asks for, and hands it to the methods that take one. */
public final class PerClassCluster implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PerClassCluster.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        WithCluster size = context.getRequiredTestClass().getAnnotation(WithCluster.class);
        WispCluster cluster = WispCluster.builder().zooKeepers(size.zooKeepers()).brokers(size.brokers())
                .controllers(size.controllers()).invokers(size.invokers()).invokerMemoryMb(size.invokerMemoryMb())
                .controllerArgs(size.controllerArgs()).start();
        context.getStore(NAMESPACE).put(WispCluster.class, cluster);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        WispCluster cluster = context.getStore(NAMESPACE).remove(WispCluster.class, WispCluster.class);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == WispCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).get(WispCluster.class, WispCluster.class);
    }
}
