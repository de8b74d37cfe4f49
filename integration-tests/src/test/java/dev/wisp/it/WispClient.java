package dev.wisp.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/** A minimal REST client of the public API, the way a user's tool would call it. */
final class WispClient {
    /** The API path of the caller\'s own namespace. */
    static final String NS = "/api/v1/namespaces/_";
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final String apiHost;
    private final String auth;

    WispClient(String apiHost, String auth) {
        this(apiHost, auth, builder().build());
    }

    WispClient(String apiHost, String auth, HttpClient http) {
        this.apiHost = apiHost;
        this.auth = auth;
        this.http = http;
    }

    /** How this client's HTTP client is built, for a variant (another local address, TLS). */
    static HttpClient.Builder builder() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5));
    }

    /** The same client, connecting from another local address, e.g. {@code 127.0.0.2}: another client machine. */
    WispClient from(String localAddress) {
        try {
            return new WispClient(apiHost, auth, builder().localAddress(java.net.InetAddress.getByName(localAddress))
                    .build());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(localAddress, e);
        }
    }

    /** The same credentials against another gateway. */
    WispClient at(String otherApiHost) {
        return new WispClient(otherApiHost, auth, http);
    }

    /** The {@code uuid:key} this client sends. */
    String auth() {
        return auth;
    }

    WispClient withAuth(String otherAuth) {
        return new WispClient(apiHost, otherAuth, http);
    }

    /** A JSON text, parsed; fails the test when it is not JSON. */
    static JsonNode parse(String text) {
        return new Response(200, text, null).json();
    }

    record Response(int status, String body, java.net.http.HttpHeaders headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }

        /** This answer, once its status is {@code expected}. */
        Response expect(int expected) {
            org.junit.jupiter.api.Assertions.assertEquals(expected, status, this::toString);
            return this;
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    Response request(String method, String path, String body) {
        return request(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** A request with a raw body and extra headers; an {@code Authorization} header replaces this client's. */
    Response request(String method, String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(apiHost + path))
                .timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (auth != null && !headers.containsKey("Authorization")) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)));
        }
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    Response put(String path, String body) {
        return request("PUT", path, body);
    }

    Response post(String path, String body) {
        return request("POST", path, body);
    }

    Response get(String path) {
        return request("GET", path, null);
    }

    Response delete(String path) {
        return request("DELETE", path, null);
    }

    /** The PUT body of a Node.js action with this source. */
    static String nodeAction(String code) {
        return JSON.createObjectNode().set("exec", JSON.createObjectNode().put("kind", "nodejs:default")
                .put("code", code)).toString();
    }
}
