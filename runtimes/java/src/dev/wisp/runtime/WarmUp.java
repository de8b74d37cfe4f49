package dev.wisp.runtime;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Takes the server once through the paths every container takes (health, /init of a jar, /run with and
 * without the envelope, refusals), so that the class data sharing archive made at image build time
 * ({@code -XX:ArchiveClassesAtExit}) holds the classes a real start needs. The action is this class itself:
 * the jar is empty and the action's class loader finds it through its parent.
 */
public final class WarmUp {
    private static final String EMPTY_JAR = "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==";

    private WarmUp() {
    }

    /** The warm-up action. */
    public static JsonObject main(JsonObject args) {
        System.out.println("warming up");
        System.err.println("still warming up");
        return args;
    }

    static void exercise(int port) throws IOException {
        ActionServer.digest("warm-up"); // what checking the invoker's token loads
        request(port, "GET", "/health", "", false);
        request(port, "POST", "/run", "{\"value\":{}}", false);
        request(port, "POST", "/init", "not json", false);
        request(port, "POST", "/init", "{\"value\":{\"code\":\"" + EMPTY_JAR + "\",\"binary\":true,"
                + "\"main\":\"dev.wisp.runtime.WarmUp\",\"env\":{\"WARM\":\"up\"}}}", false);
        for (int i = 0; i < 3; i++) {
            request(port, "POST", "/run", "{\"value\":{\"n\":" + i + "},\"activation_id\":\"warm\"}", true);
            request(port, "POST", "/run", "{\"value\":{\"n\":" + i + "},\"activation_id\":\"warm\"}", false);
        }
    }

    private static void request(int port, String method, String path, String body, boolean envelope)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\n" + (envelope ? "X-Wisp-Envelope: 1\r\n" : "")
                    + "Content-Length: " + bytes.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            in.readAllBytes();
        }
    }
}
