package dev.wisp.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * The floor of an HTTP round trip: one keep-alive socket, hand-written HTTP/1.1, no client library. A request
 * goes out in one write and the response is read through a buffer: a byte-at-a-time read is a system call per
 * byte, which would make the floor (and the bench's own client) slower than what it measures.
 */
final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final String host;
    /** Header lines sent with every request, each ending in CRLF. */
    private final String headers;
    private byte[] body = new byte[0];

    /**
     * A connection to an action runtime that asks, as Wisp's invoker does, for the activation's logs in the answer
     * ({@code X-Wisp-Envelope: 1}): without it a Wisp runtime also writes its end-of-activation markers to stdout and
     * stderr, which the container's shim and the Docker daemon then carry on every run (0.2-0.4 ms of CPU a run), a
     * cost Wisp's own path does not have and a floor must not either.
     *
     * @param token the runtime's token, sent as {@code Authorization: Bearer}; null for none
     */
    RawHttp(String host, int port, String token) throws IOException {
        this(host, port, Duration.ofSeconds(10),
                authorizationLine(token == null ? null : "Bearer " + token) + ENVELOPE);
    }

    /** @param authorization the {@code Authorization} header's value, null for none */
    RawHttp(String host, int port, String authorization, Duration readTimeout) throws IOException {
        this(host, port, readTimeout, authorizationLine(authorization));
    }

    private RawHttp(String host, int port, Duration readTimeout, String headers) throws IOException {
        this.host = host;
        this.headers = headers;
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 2_000);
        socket.setSoTimeout((int) readTimeout.toMillis());
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 8192);
    }

    /** POSTs a JSON body and returns the status code, reading the whole response ({@link #body()}). */
    int post(String path, String json) throws IOException {
        out.write(request(host, path, headers, json));
        Head head = Head.parse(readHeaders());
        body = in.readNBytes(head.length());
        if (body.length < head.length()) {
            throw new IOException("connection closed in the body");
        }
        return head.status();
    }

    /**
     * A keep-alive POST of {@code json} as bytes on the wire, in one array (one write).
     *
     * @param headers more header lines (e.g. {@code Authorization: ...\r\n}), each ending in CRLF, or empty
     */
    static byte[] request(String host, String path, String headers, String json) {
        byte[] content = json.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + content.length + "\r\n" + headers + "Connection: keep-alive\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] request = Arrays.copyOf(head, head.length + content.length);
        System.arraycopy(content, 0, request, head.length, content.length);
        return request;
    }

    /** What a response's headers say of it: its status and its body's length. */
    record Head(int status, int length) {
        /** @param headers the status line and headers, up to the blank line */
        static Head parse(String headers) throws IOException {
            int length = 0;
            for (String line : headers.split("\r\n")) {
                if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Integer.parseInt(line.substring(15).trim());
                } else if (line.regionMatches(true, 0, "transfer-encoding:", 0, 18)) {
                    throw new IOException("a chunked response; this client reads Content-Length only");
                }
            }
            return new Head(Integer.parseInt(headers.substring(9, 12)), length);
        }
    }

    /** The header line that asks a Wisp runtime for the envelope (the result and the logs in one JSON answer). */
    static final String ENVELOPE = "X-Wisp-Envelope: 1\r\n";

    /** The {@code Authorization} header's line for {@code value}, empty for null. */
    static String authorizationLine(String value) {
        return value == null ? "" : "Authorization: " + value + "\r\n";
    }

    /** The last response's body. */
    String body() {
        return new String(body, StandardCharsets.UTF_8);
    }

    private String readHeaders() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(256);
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed");
            }
            b.write(c);
            matched = (c == '\r' && (matched == 0 || matched == 2)) || (c == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    /** Whether anything answers HTTP on the port yet. */
    static boolean answers(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 200);
            s.setSoTimeout(500);
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return s.getInputStream().read() >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
