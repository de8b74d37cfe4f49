package dev.wisp.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The bench's load generator: {@code clients} keep-alive connections served by one thread and one selector, each
 * sending its next request the moment the last one's response has arrived (a closed loop, as {@code wrk} does).
 * A thread per client blocked in its socket costs a context switch and a wake-up per response, about as much
 * CPU as the invoke it waits for on two cores, and it runs in the JVM it measures.
 */
final class LoadClient {
    private static final int MAX_RESPONSE = 1 << 20;

    private LoadClient() {
    }

    /** One request, as bytes on the wire: a POST of {@code json} to {@code url} with keep-alive. */
    static byte[] post(String url, String authorization, String json) {
        URI uri = URI.create(url);
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return RawHttp.request(uri.getHost() + ":" + uri.getPort(), path, RawHttp.authorizationLine(authorization),
                json);
    }

    /**
     * Sends {@code request} to {@code host:port} back to back on {@code clients} connections for {@code window}.
     * A response other than {@code expected}, or a connection that broke, counts as an error (the connection is
     * opened again). The requests still out when the window ends are waited for (up to a minute) and counted, as
     * a client thread finishes the call it started; the time runs to the last of them.
     */
    static ThroughputBench.Run run(String host, int port, byte[] request, int expected, int clients, Duration window)
            throws IOException {
        return run(host, port, new byte[][] {request}, expected, clients, window, null);
    }

    /**
     * Like {@link #run(String, int, byte[], int, int, Duration)}, each connection's next request the next of
     * {@code requests} in turn (one counter for all), every response's latency into {@code latencies} (or null).
     */
    static ThroughputBench.Run run(String host, int port, byte[][] requests, int expected, int clients,
                                   Duration window, Samples latencies) throws IOException {
        long sent = 0;
        long ok = 0;
        long errors = 0;
        long t0 = System.nanoTime();
        long end = t0 + window.toNanos();
        long giveUp = end + Duration.ofMinutes(1).toNanos();
        int outstanding = 0;
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < clients; i++) {
                Connection.open(selector, host, port).send(requests[(int) (sent++ % requests.length)]);
                outstanding++;
            }
            while (outstanding > 0 && System.nanoTime() < giveUp) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    Connection c = (Connection) key.attachment();
                    int status;
                    try {
                        status = c.read();
                    } catch (IOException e) {
                        status = -1;
                    }
                    if (status == 0) {
                        continue; // the response is not complete yet
                    }
                    outstanding--;
                    if (latencies != null && status > 0) {
                        latencies.addNanos(System.nanoTime() - c.sentAt);
                    }
                    if (status == expected) {
                        ok++;
                    } else if (errors++ == 0) {
                        System.out.println("first error: " + (status < 0 ? "the connection broke" : status
                                + " " + c.body()));
                    }
                    boolean ended = System.nanoTime() >= end;
                    if (status < 0 || ended) {
                        c.close(); // its key is cancelled: a closed or finished connection is never read again
                    }
                    if (ended) {
                        continue;
                    }
                    if (status < 0) {
                        c = Connection.open(selector, host, port);
                    }
                    c.send(requests[(int) (sent++ % requests.length)]);
                    outstanding++;
                }
                selector.selectedKeys().clear();
            }
            for (SelectionKey key : selector.keys()) {
                ((Connection) key.attachment()).close();
            }
        }
        return new ThroughputBench.Run(ok, errors, (System.nanoTime() - t0) / 1e9);
    }

    /** One keep-alive connection with at most one request outstanding. */
    private static final class Connection {
        private final SocketChannel channel;
        private ByteBuffer in = ByteBuffer.allocate(16 * 1024);
        private int headerEnd = -1;
        private int length;
        private int status;
        private long sentAt;

        private Connection(SocketChannel channel) {
            this.channel = channel;
        }

        static Connection open(Selector selector, String host, int port) throws IOException {
            SocketChannel ch = SocketChannel.open(new InetSocketAddress(host, port));
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.configureBlocking(false);
            Connection c = new Connection(ch);
            ch.register(selector, SelectionKey.OP_READ, c);
            return c;
        }

        void send(byte[] request) throws IOException {
            sentAt = System.nanoTime();
            in.clear();
            headerEnd = -1;
            ByteBuffer out = ByteBuffer.wrap(request);
            while (out.hasRemaining()) {
                channel.write(out); // a few hundred bytes: the socket's buffer takes them at once
            }
        }

        /** Reads what arrived: the response's status once it is complete, 0 while not, -1 when the peer closed. */
        int read() throws IOException {
            if (channel.read(in) < 0) {
                return -1;
            }
            if (headerEnd < 0) {
                headerEnd = find(in, in.position());
                if (headerEnd < 0) {
                    if (!in.hasRemaining()) {
                        throw new IOException("response headers over " + in.capacity() + " bytes");
                    }
                    return 0;
                }
                RawHttp.Head head = RawHttp.Head.parse(new String(in.array(), 0, headerEnd, StandardCharsets.US_ASCII));
                status = head.status();
                length = head.length();
                if (headerEnd + length > MAX_RESPONSE) {
                    throw new IOException("a response of " + length + " bytes");
                }
            }
            if (in.position() < headerEnd + length) {
                if (!in.hasRemaining()) { // larger than the buffer (not a no-op's answer): a bigger one for the rest
                    ByteBuffer bigger = ByteBuffer.allocate(headerEnd + length);
                    in.flip();
                    in = bigger.put(in);
                }
                return 0;
            }
            return status;
        }

        String body() {
            return new String(in.array(), Math.max(0, headerEnd), Math.max(0, Math.min(length,
                    in.position() - Math.max(0, headerEnd))), StandardCharsets.UTF_8);
        }

        /** The index after the blank line that ends the headers, or -1. */
        private static int find(ByteBuffer b, int limit) {
            byte[] a = b.array();
            for (int i = 3; i < limit; i++) {
                if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
                    return i + 1;
                }
            }
            return -1;
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // closing: nothing to do
            }
        }
    }
}
