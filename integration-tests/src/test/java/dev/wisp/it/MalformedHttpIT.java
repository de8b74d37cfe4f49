package dev.wisp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests no HTTP client library would send, written byte by byte to the edge gateway: every answer is the API's
 * JSON error with a request id, whatever part of the request is broken.
 */
class MalformedHttpIT {
    private static URI api;

    @BeforeAll
    static void start() {
        api = URI.create(WispFixture.get().apiHost());
    }

    /** A raw answer: status, lower-cased header block and body. */
    private record Raw(int status, String headers, String body) {
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

    private static Raw send(String request) {
        try (Socket s = new Socket(api.getHost(), api.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                all.write(buf, 0, n);
                String text = all.toString(StandardCharsets.UTF_8);
                int end = text.indexOf("\r\n\r\n");
                if (end > 0) {
                    Raw partial = parse(text, end);
                    String length = partial.header("Content-Length");
                    if (length != null && partial.body().getBytes(StandardCharsets.UTF_8).length
                            >= Integer.parseInt(length)) {
                        return partial;
                    }
                }
            }
            String text = all.toString(StandardCharsets.UTF_8);
            return parse(text, text.indexOf("\r\n\r\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Raw parse(String text, int end) {
        assertTrue(end > 0, "no HTTP answer: " + text);
        int status = Integer.parseInt(text.substring(9, 12));
        return new Raw(status, text.substring(0, end), text.substring(end + 4));
    }

    private static void assertJsonError(Raw r, int status, String messagePart) {
        assertEquals(status, r.status(), r.headers() + "\n" + r.body());
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.headers());
        JsonNode body = r.json();
        assertTrue(body.path("error").asText().contains(messagePart), r.body());
        assertFalse(body.path("code").asText().isEmpty(), "no request id in " + r.body());
        assertEquals(body.path("code").asText(), r.header("X-Request-ID"), r.headers());
    }

    @Test
    void aBadEscapeInThePathIsA400() {
        assertJsonError(send("GET /api/v1/namespaces/%zz/actions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
                400, "malformed %-escape");
    }

    @Test
    void aRequestLineTooLongIsA414() {
        assertJsonError(send("GET /api/v1/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414,
                "request line is too long");
    }

    @Test
    void headersTooLargeAreA431() {
        assertJsonError(send("GET /api/v1 HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n"), 431,
                "headers are too large");
    }

    @Test
    void aRequestWithoutHostIsA400() {
        assertJsonError(send("GET /api/v1/namespaces HTTP/1.1\r\nConnection: close\r\n\r\n"), 400, "Host");
    }

    @Test
    void garbageIsA400() {
        assertJsonError(send("HELLO\r\n\r\n"), 400, "HTTP");
    }

    /**
     * A 50 MB upload without credentials, or with wrong ones, is refused from its headers: the client sends only
     * 64 KB of it and still gets its 401 (a server that read the body first would wait for the rest forever).
     */
    @Test
    void aBodyWithoutValidCredentialsIsNeverRead() {
        String wrong = "Authorization: Basic " + java.util.Base64.getEncoder().encodeToString(
                (WispFixture.get().guestAuth().split(":")[0] + ":not-the-key").getBytes(StandardCharsets.UTF_8)) + "\r\n";
        for (String auth : new String[] {"", wrong}) {
            long start = System.nanoTime();
            Raw r = send("PUT /api/v1/namespaces/_/actions/huge HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 52428800\r\n" + auth + "\r\n" + "x".repeat(64 * 1024));
            assertJsonError(r, 401, "authentication is invalid");
            assertTrue(System.nanoTime() - start < 5_000_000_000L, "answered late");
        }
    }

    @Test
    void anUnknownPathIsA404WithARequestId() {
        assertJsonError(send("GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 404, "does not exist");
    }
}
