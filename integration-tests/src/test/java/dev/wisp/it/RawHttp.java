package dev.wisp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP written and read over a plain socket, byte by byte where it matters: what a hostile or broken client sends
 * and no client library would. A socket may come from a loopback address of its own ({@code 127.0.0.x}), so that
 * tests can play several client addresses.
 */
final class RawHttp {
    private RawHttp() {
    }

    /** An answer: status, header block and body. */
    record Answer(int status, String headers, String body) {
        JsonNode json() {
            return WispClient.parse(body);
        }

        String header(String name) {
            for (String line : headers.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":")) {
                    return line.substring(name.length() + 1).trim();
                }
            }
            return null;
        }
    }

    /** A connection to the API's host and port, from {@code localAddress} (null: any). */
    static Socket open(URI api, String localAddress) {
        try {
            Socket s = localAddress == null ? new Socket(api.getHost(), api.getPort())
                    : new Socket(InetAddress.getByName(api.getHost()), api.getPort(),
                    InetAddress.getByName(localAddress), 0);
            s.setSoTimeout(10_000);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    /** Sends a request on a fresh connection and reads the answer. */
    static Answer exchange(URI api, String request) {
        try (Socket s = open(api, null)) {
            write(s, request);
            return read(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one answer, whole when it has a {@code Content-Length}, else up to the end of the stream. */
    static Answer read(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            all.write(buf, 0, n);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            if (end > 0) {
                Answer partial = parse(text, end);
                String length = partial.header("Content-Length");
                if (length != null && partial.body().getBytes(StandardCharsets.UTF_8).length
                        >= Integer.parseInt(length)) {
                    return partial;
                }
            }
        }
        String text = all.toString(StandardCharsets.UTF_8);
        return parse(text, text.indexOf("\r\n\r\n"));
    }

    /** Whether the server has closed the connection (a read ends the stream or is reset), waiting {@code millis}. */
    static boolean closedByServer(Socket s, int millis) throws IOException {
        s.setSoTimeout(millis);
        try {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            while (in.read(buf) >= 0) {
                // an answer before the close is read past
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        }
    }

    private static Answer parse(String text, int end) {
        assertTrue(end > 0, "no HTTP answer: " + text);
        int status = Integer.parseInt(text.substring(9, 12));
        return new Answer(status, text.substring(0, end), text.substring(end + 4));
    }

    /** The API's error form: the status, JSON {@code {"error", "code"}} with the message, the code as request id. */
    static void assertJsonError(Answer r, int status, String messagePart) {
        assertEquals(status, r.status(), r.headers() + "\n" + r.body());
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.headers());
        JsonNode body = r.json();
        assertTrue(body.path("error").asText().contains(messagePart), r.body());
        assertFalse(body.path("code").asText().isEmpty(), "no request id in " + r.body());
        assertEquals(body.path("code").asText(), r.header("X-Request-ID"), r.headers());
    }
}
