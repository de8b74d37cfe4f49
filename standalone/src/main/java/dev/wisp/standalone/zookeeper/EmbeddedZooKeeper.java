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
        Files.createDirectories(dir.resolve("data"));
        this.port = port;
        Properties p = new Properties();
        p.setProperty("dataDir", dir.resolve("data").toString());
        p.setProperty("clientPort", String.valueOf(port));
        p.setProperty("clientPortAddress", "127.0.0.1");
        p.setProperty("tickTime", "500");
        p.setProperty("initLimit", "10");
        p.setProperty("syncLimit", "5");
        p.setProperty("admin.enableServer", "false");
        p.setProperty("4lw.commands.whitelist", "ruok,stat");
        this.server = ZooKeeperServerEmbedded.builder().baseDir(dir).configuration(p)
                .exitHandler(ExitHandler.LOG_ONLY).build();
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
