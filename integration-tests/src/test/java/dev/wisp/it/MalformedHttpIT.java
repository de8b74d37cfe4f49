package dev.wisp.it;

import static dev.wisp.it.RawHttp.assertJsonError;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.it.RawHttp.Answer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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

    private static Answer send(String request) {
        return RawHttp.exchange(api, request);
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
            Answer r = send("PUT /api/v1/namespaces/_/actions/huge HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
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
