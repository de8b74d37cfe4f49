package dev.wisp.standalone;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The boundaries the layout promises, checked on every build: {@code common} knows no side; the controller,
 * the invoker and the edge gateway never reach into each other (they talk through Kafka, ZooKeeper and HTTP);
 * docker-java, Ektorp and the Kafka clients are touched only by the adapters that own them, so that their
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
}
