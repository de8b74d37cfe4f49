package dev.wisp.standalone;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The boundaries the layout promises, checked on every build: {@code common} knows no side; the controller,
 * the invoker and the edge gateway never reach into each other (they talk through Kafka, ZooKeeper and HTTP);
 * docker-java, Ektorp, the Kafka clients and Curator are touched only by the adapters that own them, so that their
 * blocking calls and exceptions stay behind Futures and our own error types. Standalone, which wires
 * everything together, is the one module that sees every other.
 */
class ArchitectureTest {
    private static JavaClasses wisp;

    @BeforeAll
    static void importMainClasses() {
        wisp = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.wisp");
    }

    @Test
    void commonKnowsNoSide() {
        noClasses().that().resideInAPackage("dev.wisp.common..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.wisp.controller..", "dev.wisp.invoker..",
                        "dev.wisp.gateway..", "dev.wisp.standalone..")
                .because("common holds what every side shares, and nothing of any one side")
                .check(wisp);
    }

    @Test
    void theControllerTheInvokerAndTheGatewayNeverReachIntoEachOther() {
        sideNeverReaches("dev.wisp.controller..", "dev.wisp.invoker..", "dev.wisp.gateway..");
        sideNeverReaches("dev.wisp.invoker..", "dev.wisp.controller..", "dev.wisp.gateway..");
        sideNeverReaches("dev.wisp.gateway..", "dev.wisp.controller..", "dev.wisp.invoker..");
    }

    private static void sideNeverReaches(String side, String... others) {
        noClasses().that().resideInAPackage(side)
                .should().dependOnClassesThat().resideInAnyPackage(others)
                .orShould().dependOnClassesThat().resideInAPackage("dev.wisp.standalone..")
                .because("each side runs as its own process and talks to the others only through Kafka,"
                        + " ZooKeeper and HTTP")
                .check(wisp);
    }

    @Test
    void onlyTheDockerAdapterTouchesDockerJava() {
        noClasses().that().resideOutsideOfPackage("dev.wisp.invoker.docker..")
                .should().dependOnClassesThat().resideInAPackage("com.github.dockerjava..")
                .because("docker-java blocks and throws its own exceptions: DockerEngine returns Futures and our types")
                .check(wisp);
    }

    @Test
    void onlyTheStoreAdaptersTouchEktorp() {
        noClasses().that().resideOutsideOfPackages("dev.wisp.common.store..", "dev.wisp.controller.store..",
                        "dev.wisp.invoker.store..")
                .should().dependOnClassesThat().resideInAPackage("org.ektorp..")
                .because("Ektorp blocks and throws its own exceptions: CouchStore and the stores on it return Futures"
                        + " and WispExceptions")
                .check(wisp);
    }

    @Test
    void onlyTheKafkaAdaptersTouchTheKafkaClients() {
        noClasses().that().resideOutsideOfPackages("dev.wisp.common.kafka..", "dev.wisp.standalone.kafka..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.kafka..")
                .because("Kafka's send() and poll() block: Feed, KafkaSender, TopicAdmin and TopicScan keep them"
                        + " off the event loops")
                .check(wisp);
    }

    /**
     * The composition roots, the only classes outside the ZooKeeper adapters that use Curator, each named (a new one
     * fails the build): they open the session and hand it to the adapters.
     */
    static final Set<String> CURATOR_OUTSIDE_ADAPTERS = Set.of(
            "dev.wisp.controller.Controller", "dev.wisp.controller.fleet.FleetMain", "dev.wisp.invoker.Invoker",
            "dev.wisp.gateway.EdgeGateway");

    @Test
    void onlyTheZooKeeperAdaptersTouchCuratorAndZooKeeper() {
        noClasses().that().resideOutsideOfPackages("dev.wisp.common.zookeeper..", "dev.wisp.controller.zookeeper..",
                        "dev.wisp.invoker.zookeeper..", "dev.wisp.standalone.zookeeper..")
                .and(DescribedPredicate.describe("are not named in CURATOR_OUTSIDE_ADAPTERS",
                        (JavaClass c) -> !CURATOR_OUTSIDE_ADAPTERS.contains(topLevel(c))))
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.curator..", "org.apache.zookeeper..")
                .because("ZooKeeper calls block and Curator's recipes call back on its own threads: the adapters"
                        + " (Membership, Zk, the controller's and the invoker's adapters) keep them behind our types")
                .check(wisp);
    }

    @Test
    void theCuratorAllowListNamesOnlyClassesThatExist() {
        CURATOR_OUTSIDE_ADAPTERS.forEach(name -> assertTrue(wisp.contain(name), name + " is gone: drop it from"
                + " CURATOR_OUTSIDE_ADAPTERS"));
    }

    /** The class a nested or anonymous class is part of. */
    private static String topLevel(JavaClass c) {
        int nested = c.getName().indexOf('$');
        return nested < 0 ? c.getName() : c.getName().substring(0, nested);
    }
}
