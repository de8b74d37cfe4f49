package dev.wisp.it.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy a test puts between a component and a server (a Kafka broker, a ZooKeeper server, the store), to
 * cut the link and heal it on command. A cut is a black hole, as a real partition is: connections stay open and
 * accept bytes, and nothing arrives on the other side, so clients find out only through their own timeouts. A
 * heal closes the connections that lived through the cut (as a partition that lasted longer than TCP's patience
 * would) and forwards new ones again.
 */
public final class TcpProxy implements AutoCloseable {
    private volatile int targetPort;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tcp-proxy");
        t.setDaemon(true);
        return t;
    });
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;

    public TcpProxy(int targetPort) throws IOException {
        this();
        target(targetPort);
    }

    /**
     * A proxy that holds its own port from now on and forwards to a target set later: a test that needs ports for
     * both the proxies and the servers behind them binds the proxies first, so that no port chosen for a server
     * (free when chosen, bound only when the server starts) can be taken by a proxy meanwhile.
     */
    TcpProxy() throws IOException {
        this.server = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    void target(int port) {
        this.targetPort = port;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** From now on nothing passes, in either direction, on any connection. */
    public void cut() {
        cut = true;
        links.forEach(l -> l.frozen = true);
    }

    /** Connections that lived through the cut are closed; new ones pass again. */
    public void heal() {
        cut = false;
        links.removeIf(l -> {
            if (l.frozen) {
                l.close();
                return true;
            }
            return false;
        });
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Link link = new Link(client);
                links.add(link);
                if (cut) {
                    link.frozen = true;
                    threads.execute(() -> drain(link, client));
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                link.upstream = upstream;
                threads.execute(() -> pump(link, client, upstream));
                threads.execute(() -> pump(link, upstream, client));
            } catch (IOException e) {
                // closed, or the target is down: the client sees its connection end
            }
        }
    }

    /** Copies bytes from one side to the other; while the link is cut they are read and dropped. */
    private void pump(Link link, Socket from, Socket to) {
        byte[] buf = new byte[16_384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (!link.frozen) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            link.close();
            links.remove(link);
        }
    }

    private void drain(Link link, Socket client) {
        byte[] buf = new byte[16_384];
        try (InputStream in = client.getInputStream()) {
            while (in.read(buf) >= 0) {
                // dropped: the other side is unreachable
            }
        } catch (IOException e) {
            // closed at the heal
        } finally {
            link.close();
            links.remove(link);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        links.forEach(Link::close);
        threads.shutdownNow();
    }

    private static final class Link {
        private final Socket client;
        private volatile Socket upstream;
        private volatile boolean frozen;

        Link(Socket client) {
            this.client = client;
        }

        void close() {
            try {
                client.close();
                if (upstream != null) {
                    upstream.close();
                }
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
