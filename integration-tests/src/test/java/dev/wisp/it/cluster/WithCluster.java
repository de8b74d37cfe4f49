package dev.wisp.it.cluster;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A {@link WispCluster} of this size for the annotated test class: started before its tests, closed after them
 * whatever happened, and given to any test (or {@code @BeforeAll}) method that takes a {@code WispCluster}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(PerClassCluster.class)
public @interface WithCluster {
    int zooKeepers() default 1;

    int brokers() default 1;

    int controllers() default 1;

    int invokers() default 1;

    /** Each invoker's user memory. */
    int invokerMemoryMb() default 2048;

    /** Extra settings ({@code --key=value}) for every controller. */
    String[] controllerArgs() default {};
}
