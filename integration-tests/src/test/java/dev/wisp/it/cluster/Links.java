package dev.wisp.it.cluster;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The links of one component that a test can cut and heal: to ZooKeeper (a proxy per server) and to the store
 * (a proxy), plus Kafka through the brokers' cuttable listener ({@link KafkaBrokers#cuttableBootstrap()}, shared:
 * put one component at a time behind it).
 */
public final class Links implements AutoCloseable {
    private final KafkaBrokers kafka;
    private final List<TcpProxy> zooKeeper = new ArrayList<>();
    private final TcpProxy store;

    Links(KafkaBrokers kafka, String zkConnect, String storeUrl) throws IOException {
        this.kafka = kafka;
        for (String server : zkConnect.split(",")) {
            zooKeeper.add(new TcpProxy(Integer.parseInt(server.substring(server.lastIndexOf(':') + 1))));
        }
        this.store = new TcpProxy(URI.create(storeUrl).getPort());
    }

    /** The component's settings with every link through a proxy. */
    List<String> settings() {
        List<String> zk = new ArrayList<>();
        zooKeeper.forEach(p -> zk.add("127.0.0.1:" + p.port()));
        return List.of("--kafka.bootstrap=" + kafka.cuttableBootstrap(), "--zookeeper.connect=" + String.join(",", zk),
                "--store.url=http://127.0.0.1:" + store.port());
    }

    public void cutKafka() {
        kafka.cutLinks();
    }

    public void healKafka() {
        kafka.healLinks();
    }

    public void cutZooKeeper() {
        zooKeeper.forEach(TcpProxy::cut);
    }

    public void healZooKeeper() {
        zooKeeper.forEach(TcpProxy::heal);
    }

    public void cutStore() {
        store.cut();
    }

    public void healStore() {
        store.heal();
    }

    @Override
    public void close() {
        zooKeeper.forEach(TcpProxy::close);
        store.close();
    }
}
