package dev.wisp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import javax.net.ssl.HttpsURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OpenWhisk's REST API v1 at the configured host, with the configured key: one blocking request at a time.
 * {@link HttpURLConnection} rather than {@code java.net.http}: it starts in a fraction of the time, which is most
 * of what a one-request command costs.
 */
final class Api {
    /** An answer: its status, its JSON body (null when empty or not JSON), its raw text. */
    record Response(int status, JsonNode body, String text, Map<String, String> headers) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private static final int CONNECT_MS = 10_000;
    private static final int READ_MS = 90_000; // a blocking invoke waits up to 60 s for its activation

    private final String base;
    private final String authorization;
    private final boolean insecure;

    /** @param insecure accept any TLS certificate and host name ({@code -i}, as wsk: a self-signed test host) */
    Api(String apiHost, String auth, boolean insecure) {
        this.base = apiHost + "/api/v1";
        this.insecure = insecure;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8));
    }

    String base() {
        return base;
    }

    /** Sends a request; any status comes back as a {@link Response}; no answer at all is a {@link CliException}. */
    Response call(String method, String path, Map<String, String> query, JsonNode body) {
        String url = base + path + queryString(query);
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            if (insecure && c instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(TrustAll.CONTEXT.getSocketFactory());
                https.setHostnameVerifier((host, session) -> true);
            }
            c.setRequestMethod(method);
            c.setConnectTimeout(CONNECT_MS);
            c.setReadTimeout(READ_MS);
            c.setRequestProperty("Authorization", authorization);
            c.setRequestProperty("Accept", "application/json");
            c.setRequestProperty("User-Agent", "wisp-cli");
            if (body != null) {
                byte[] bytes = Json.compact(body).getBytes(StandardCharsets.UTF_8);
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
                c.setFixedLengthStreamingMode(bytes.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(bytes);
                }
            }
            int status = c.getResponseCode();
            String text;
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            c.getHeaderFields().forEach((k, v) -> {
                if (k != null && !v.isEmpty()) {
                    headers.put(k.toLowerCase(), v.get(0));
                }
            });
            return new Response(status, parse(text), text, headers);
        } catch (ConnectException | UnknownHostException e) {
            throw new CliException(CliException.UNREACHABLE, "cannot reach the API host " + base.replace("/api/v1", "")
                    + " (" + e.getMessage() + "); is Wisp running? ./wisp standalone starts one");
        } catch (SocketTimeoutException e) {
            throw new CliException(CliException.UNREACHABLE, "the API host did not answer " + method + " " + url
                    + " in time (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new CliException(CliException.UNREACHABLE, method + " " + url + " failed: " + e);
        }
    }

    /** Sends a request that must succeed; a refusal becomes a {@link CliException} saying {@code doing} failed. */
    JsonNode ok(String doing, String method, String path, Map<String, String> query, JsonNode body) {
        Response r = call(method, path, query, body);
        if (!r.ok()) {
            throw refused(doing, r);
        }
        return r.body();
    }

    /** "Unable to create action 'x': the API's error (code: request id) [HTTP status]". */
    static CliException refused(String doing, Response r) {
        String error = r.body() != null && r.body().hasNonNull("error") ? Json.text(r.body(), "error")
                : r.text().isBlank() ? "no error text" : r.text().strip();
        String code = r.body() != null && r.body().hasNonNull("code") ? " (code: " + Json.text(r.body(), "code") + ")"
                : "";
        return CliException.failed("Unable to " + doing + ": " + error + code + " [HTTP " + r.status() + "]");
    }

    private static JsonNode parse(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static String queryString(Map<String, String> query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        query.forEach((k, v) -> {
            if (v != null) {
                sb.append(sb.isEmpty() ? '?' : '&').append(k).append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return sb.toString();
    }

    /** A TLS context that trusts every certificate: only ever used with {@code -i/--insecure}. */
    private static final class TrustAll {
        static final javax.net.ssl.SSLContext CONTEXT = create();

        private static javax.net.ssl.SSLContext create() {
            javax.net.ssl.X509TrustManager all = new javax.net.ssl.X509TrustManager() {
                @Override
                public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String type) {
                }

                @Override
                public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String type) {
                }

                @Override
                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            };
            try {
                javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
                context.init(null, new javax.net.ssl.TrustManager[]{all}, new java.security.SecureRandom());
                return context;
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
