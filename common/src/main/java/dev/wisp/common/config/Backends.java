package dev.wisp.common.config;

/**
 * Where a component finds the services it is built on, read from {@link CommonSettings}.
 *
 * @param kafka            Kafka bootstrap servers
 * @param kafkaReplication replication factor of the topics the component creates
 * @param zookeeper        ZooKeeper connect string
 * @param storeUrl         CouchDB-API server URL
 * @param storeUser        the store's user name, or null
 * @param storePassword    the store's password, or null
 * @param storePrefix      prefix of Wisp's database names
 */
public record Backends(String kafka, int kafkaReplication, String zookeeper, String storeUrl, String storeUser,
                       String storePassword, String storePrefix) {

    public static Backends from(Settings s) {
        return new Backends(
                s.get(CommonSettings.KAFKA_BOOTSTRAP),
                s.get(CommonSettings.KAFKA_REPLICATION),
                s.get(CommonSettings.ZOOKEEPER_CONNECT),
                s.get(CommonSettings.STORE_URL),
                s.get(CommonSettings.STORE_USER),
                s.get(CommonSettings.STORE_PASSWORD),
                s.get(CommonSettings.STORE_PREFIX));
    }
}
