package dev.wisp.it.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady stream of non-blocking invokes through the gateway at a fixed rate, for a bounded time or until
 * stopped. It remembers every activation id answered 2xx (accepted, with the time) and counts every other answer
 * by status, with when it came.
 */
public final class LoadGenerator {
    private static final ObjectMapper JSON = new ObjectMapper();
    // HTTP/1.1 as the OpenWhisk clients speak it (the JDK client would otherwise upgrade to h2c and multiplex
    // every request over one connection).
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final String url;
    private final String authHeader;
    private final Map<String, Long> accepted = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> refused = new ConcurrentHashMap<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final List<Long> refusedAt = new CopyOnWriteArrayList<>();
    private final List<Long> refusedSentAt = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private static final int MAX_IN_FLIGHT = 256;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private ScheduledExecutorService ticker;

    /** Non-blocking invokes of {@code action}. */
    public LoadGenerator(String apiHost, String auth, String action) {
        this(auth, apiHost + "/api/v1/namespaces/_/actions/" + action);
    }

    private LoadGenerator(String auth, String url) {
        this.url = url;
        this.authHeader = "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * POSTs to any API path that answers an activation id: a blocking invoke ({@code ...?blocking=true}), a
     * sequence, a trigger fire ({@code /api/v1/namespaces/_/triggers/t}).
     */
    public static LoadGenerator posting(String apiHost, String auth, String path) {
        return new LoadGenerator(auth, apiHost + path);
    }

    /** Sends {@code perSecond} invokes a second for {@code duration}, then waits for the last answers. */
    public void run(int perSecond, Duration duration) throws InterruptedException {
        start(perSecond, perSecond * duration.toSeconds());
        Thread.sleep(duration.toMillis());
        stop();
    }

    /** Starts sending {@code perSecond} invokes a second until {@link #stop()}. */
    public void start(int perSecond) {
        start(perSecond, Long.MAX_VALUE);
    }

    private synchronized void start(int perSecond, long total) {
        if (ticker != null) {
            throw new IllegalStateException("already running");
        }
        ticker = Executors.newSingleThreadScheduledExecutor();
        AtomicLong issued = new AtomicLong();
        ticker.scheduleAtFixedRate(() -> {
            if (issued.incrementAndGet() > total) {
                return;
            }
            long sentAt = System.currentTimeMillis();
            if (!inFlight.tryAcquire()) {
                refused(-1, sentAt);
                return;
            }
            int n = sent.incrementAndGet();
            HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .header("Authorization", authHeader).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"n\":" + n + "}")).build();
            http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((resp, error) -> {
                try {
                    count(resp, error, sentAt);
                } finally {
                    inFlight.release(); // only once counted: stop() returns when every answer is
                }
            });
        }, 0, 1_000_000L / perSecond, TimeUnit.MICROSECONDS);
    }

    /** Counts one answer, or the lack of one. */
    private void count(HttpResponse<String> resp, Throwable error, long sentAt) {
        if (error != null) {
            refused(0, sentAt);
            if (errors.size() < 10) {
                errors.add(error.toString());
            }
            return;
        }
        if (resp.statusCode() / 100 == 2) {
            try {
                JsonNode body = JSON.readTree(resp.body());
                accepted.put(body.path("activationId").asText(), System.currentTimeMillis());
            } catch (Exception e) {
                failures.add("2xx without an id: " + resp.body());
            }
        } else {
            refused(resp.statusCode(), sentAt);
            if (resp.statusCode() != 503) {
                failures.add(resp.statusCode() + " " + resp.body());
            }
        }
    }

    /** Stops sending and waits for the answers still outstanding. */
    public synchronized void stop() throws InterruptedException {
        if (ticker == null) {
            return;
        }
        ticker.shutdownNow();
        ticker.awaitTermination(10, TimeUnit.SECONDS); // a tick under way may still send
        ticker = null;
        inFlight.acquire(MAX_IN_FLIGHT);
        inFlight.release(MAX_IN_FLIGHT);
    }

    private void refused(int status, long sentAt) {
        refused.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
        refusedAt.add(System.currentTimeMillis());
        refusedSentAt.add(sentAt);
    }

    /** When each non-2xx answer (or missing answer) came, in milliseconds since the epoch. */
    public List<Long> refusedAt() {
        return List.copyOf(refusedAt);
    }

    /** When each request answered non-2xx (or not at all) was sent, in milliseconds since the epoch. */
    public List<Long> refusedSentAt() {
        return List.copyOf(refusedSentAt);
    }

    /** Invocations sent (offered load). */
    public int sent() {
        return sent.get();
    }

    /** Activation ids answered 2xx, with when. */
    public Map<String, Long> accepted() {
        return Map.copyOf(accepted);
    }

    /** Non-2xx answers by status (0: no answer, -1: not sent because 256 were in flight). */
    public Map<Integer, Integer> refused() {
        Map<Integer, Integer> out = new java.util.TreeMap<>();
        refused.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** The first few reasons why a request got no answer at all. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** Answers a user should never see (anything but 2xx and 503). */
    public List<String> failures() {
        return List.copyOf(failures);
    }
}
