package dev.wisp.standalone;

import dev.wisp.common.config.Settings;
import java.nio.file.Path;

/**
 * @param dataDir      where ZooKeeper, Kafka and the store keep their data across restarts
 * @param host         interface of the public API
 * @param port         public API port (OpenWhisk standalone's 3233; 0 picks a free one)
 * @param pouchdbBin   the PouchDB Server executable
 * @param dockerHost   the Docker engine actions run on
 * @param invokerMemoryMb  user memory of the invoker
 * @param writeWskprops    write {@code APIHOST} and {@code AUTH} to {@code ~/.wskprops}
 */
public record StandaloneConfig(Path dataDir, String host, int port, Path pouchdbBin, String dockerHost,
                               int invokerMemoryMb, boolean writeWskprops, Settings settings) {

    public static StandaloneConfig from(Settings s) {
        String home = System.getenv().getOrDefault("WISP_HOME", System.getProperty("user.home") + "/.wisp");
        StandaloneConfig c = new StandaloneConfig(
                Path.of(s.string("standalone.data", home + "/standalone")).toAbsolutePath(),
                s.string("gateway.host", "127.0.0.1"),
                s.integer("gateway.port", 3233, 0, 65535),
                Path.of(s.string("store.pouchdb.bin", home + "/tools/pouchdb-server/node_modules/.bin/pouchdb-server")),
                s.string("docker.host", "unix:///var/run/docker.sock"),
                s.integer("invoker.memory.mb", 2048, 128, 1 << 20),
                s.bool("standalone.wskprops", true),
                s);
        s.check();
        return c;
    }
}
