package dev.wisp.bench;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The bench's own client for the calls it measures: keep-alive connections to the gateway ({@link RawHttp}),
 * each used by one client thread at a time and put back after its response. The JDK's HttpClient cost about
 * 0.24 ms of CPU per call on the bench's machine, in the same process as the Wisp it measured: the bench's rate
 * was then its client's, a fifth under {@code wrk}'s against the same gateway.
 */
final class GatewayClient implements AutoCloseable {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final String host;
    private final int port;
    private final String path;
    private final String authorization;
    private final ConcurrentLinkedQueue<RawHttp> idle = new ConcurrentLinkedQueue<>();

    /**
     * @param base          the namespace's API, e.g. {@code http://127.0.0.1:3233/api/v1/namespaces/_/}
     * @param authorization the {@code Authorization} header's value
     */
    GatewayClient(String base, String authorization) {
        URI uri = URI.create(base);
        this.host = uri.getHost();
        this.port = uri.getPort();
        this.path = uri.getRawPath();
        this.authorization = authorization;
    }

    /** POSTs {@code json} to {@code relative} (under the namespace); fails unless it answers {@code expected}. */
    void post(String relative, String json, int expected) throws IOException {
        RawHttp c = idle.poll();
        int status;
        if (c == null) {
            c = new RawHttp(host, port, authorization, READ_TIMEOUT);
            status = postOrClose(c, relative, json);
        } else {
            try {
                status = postOrClose(c, relative, json);
            } catch (IOException e) {
                // the gateway closes a keep-alive connection that idled too long: once more on a new one
                c = new RawHttp(host, port, authorization, READ_TIMEOUT);
                status = postOrClose(c, relative, json);
            }
        }
        idle.add(c);
        if (status != expected) {
            throw new IllegalStateException("POST " + relative + ": " + status + " " + c.body());
        }
    }

    private int postOrClose(RawHttp c, String relative, String json) throws IOException {
        try {
            return c.post(path + relative, json);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public void close() {
        for (RawHttp c; (c = idle.poll()) != null; ) {
            try {
                c.close();
            } catch (IOException e) {
                // closing: nothing to do
            }
        }
    }
}
