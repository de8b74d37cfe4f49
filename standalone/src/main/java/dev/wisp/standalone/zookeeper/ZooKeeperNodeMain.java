package dev.wisp.standalone.zookeeper;

import dev.wisp.common.config.Settings;
import dev.wisp.common.launch.Launcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * One server of a containerized ZooKeeper ensemble: {@code --id=1 --servers=zk1,zk2,zk3 --data=/data}. The
 * servers list names every member by host in id order; they talk on 2888 and 3888 and serve clients on 2181.
 */
public final class ZooKeeperNodeMain {
    private ZooKeeperNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        Settings s = Settings.load(args, System.getenv());
        int id = s.integer("id", 1, 1, 255);
        String[] servers = s.required("servers").split(",");
        Path data = Path.of(s.string("data", "/data"));
        s.refuseUnknownFlags();
        Properties p = EmbeddedZooKeeper.properties(data, 2181, 20, "srvr,ruok");
        Files.writeString(data.resolve("data").resolve("myid"), String.valueOf(id));
        p.setProperty("quorumListenOnAllIPs", "true");
        for (int i = 0; i < servers.length; i++) {
            p.setProperty("server." + (i + 1), servers[i].trim() + ":2888:3888");
        }
        ZooKeeperServerEmbedded server = EmbeddedZooKeeper.server(data, p);
        Launcher.serveUntilStopped(server::start, server::close);
    }
}
