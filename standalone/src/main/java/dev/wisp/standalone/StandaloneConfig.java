package dev.wisp.standalone;

import dev.wisp.common.config.Settings;
import dev.wisp.gateway.GatewaySettings;
import dev.wisp.invoker.InvokerSettings;
import java.nio.file.Path;

/**
 * Standalone's configuration; {@link StandaloneSettings} defines its keys.
 *
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

    /** Reads standalone's settings, and checks the value of every component's setting given. */
    public static StandaloneConfig from(Settings s) {
        String home = System.getenv().getOrDefault("WISP_HOME", System.getProperty("user.home") + "/.wisp");
        s.validate(StandaloneSettings.all());
        StandaloneConfig c = new StandaloneConfig(
                Path.of(s.get(StandaloneSettings.DATA, home + "/standalone")).toAbsolutePath(),
                s.get(GatewaySettings.HOST),
                s.get(GatewaySettings.PORT),
                Path.of(s.get(StandaloneSettings.POUCHDB_BIN,
                        home + "/tools/pouchdb-server/node_modules/.bin/pouchdb-server")),
                s.get(InvokerSettings.DOCKER_HOST),
                s.get(InvokerSettings.MEMORY_MB),
                s.get(StandaloneSettings.WSKPROPS),
                s);
        s.check();
        return c;
    }
}
