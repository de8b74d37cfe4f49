package dev.wisp.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends the server a few requests through the paths every container takes (health, a failed /init with a
 * jar, a refused /run), so that the class data sharing archive made at image build time
 * ({@code -XX:ArchiveClassesAtExit}) holds the classes a real start needs.
 */
final class WarmUp {
    private static final String EMPTY_JAR = "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==";

    private WarmUp() {
    }

    static void exercise(int port) throws IOException {
        request(port, "GET", "/health", "");
        request(port, "POST", "/run", "{\"value\":{}}");
        request(port, "POST", "/init", "{\"value\":{\"code\":\"" + EMPTY_JAR + "\",\"binary\":true,"
                + "\"main\":\"warm.Up\",\"env\":{\"WARM\":\"up\"}}}");
        request(port, "POST", "/init", "not json");
    }

    private static void request(int port, String method, String path, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nX-Wisp-Envelope: 1\r\nContent-Length: " + bytes.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            in.readAllBytes();
        }
    }
}
