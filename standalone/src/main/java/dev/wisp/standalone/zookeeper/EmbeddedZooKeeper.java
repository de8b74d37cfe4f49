package dev.wisp.standalone.zookeeper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/** A real ZooKeeper server in this process, keeping its data in a directory across restarts. */
public final class EmbeddedZooKeeper implements AutoCloseable {
    private final ZooKeeperServerEmbedded server;
    private final int port;

    public EmbeddedZooKeeper(Path dir, int port) throws Exception {
        this.port = port;
        Properties p = properties(dir, port, 10, "ruok,stat");
        p.setProperty("clientPortAddress", "127.0.0.1");
        this.server = server(dir, p);
    }

    /**
     * What every ZooKeeper server of Wisp's runs with: its data under {@code dir/data} (created), 500 ms ticks, no
     * admin server, the given four-letter commands; followers get {@code initLimit} ticks to connect and sync,
     * half as many to stay in sync.
     */
    static Properties properties(Path dir, int clientPort, int initLimit, String fourLetterWords) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Properties p = new Properties();
        p.setProperty("dataDir", dir.resolve("data").toString());
        p.setProperty("clientPort", String.valueOf(clientPort));
        p.setProperty("tickTime", "500");
        p.setProperty("initLimit", String.valueOf(initLimit));
        p.setProperty("syncLimit", String.valueOf(initLimit / 2));
        p.setProperty("admin.enableServer", "false");
        p.setProperty("4lw.commands.whitelist", fourLetterWords);
        return p;
    }

    /** A server that keeps its files under {@code dir} and only logs where ZooKeeper would exit the JVM. */
    static ZooKeeperServerEmbedded server(Path dir, Properties p) throws Exception {
        return ZooKeeperServerEmbedded.builder().baseDir(dir).configuration(p).exitHandler(ExitHandler.LOG_ONLY)
                .build();
    }

    /** Starts the server and waits until it serves clients. */
    public void start() throws Exception {
        server.start(30_000);
    }

    public String connectString() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.close();
    }
}
