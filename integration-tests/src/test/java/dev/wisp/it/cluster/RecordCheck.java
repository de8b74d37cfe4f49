package dev.wisp.it.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads activation records straight from the store, many ids per request, to count every id. */
public final class RecordCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String url;

    public RecordCheck(String storeUrl) {
        this.url = storeUrl + "/wisp_activations/_all_docs?include_docs=true";
    }

    /** The stored records of these ids (missing ids are absent from the map), by id. */
    public Map<String, JsonNode> records(Collection<String> ids) throws Exception {
        Map<String, JsonNode> found = new HashMap<>();
        List<String> all = new ArrayList<>(ids);
        for (int i = 0; i < all.size(); i += 500) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode keys = body.putArray("keys");
            all.subList(i, Math.min(all.size(), i + 500)).forEach(keys::add);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode row : JSON.readTree(r.body()).path("rows")) {
                JsonNode doc = row.path("doc");
                if (doc.isObject() && !row.has("error")) {
                    found.put(row.path("key").asText(), doc);
                }
            }
        }
        return found;
    }

    /**
     * The records of these ids once all exist, or those that exist when {@code within} has passed (a backlog
     * draining after a fault; only a slow run waits long).
     */
    public Map<String, JsonNode> awaitRecords(Collection<String> ids, java.time.Duration within) throws Exception {
        long deadline = System.currentTimeMillis() + within.toMillis();
        Map<String, JsonNode> records = records(ids);
        while (records.size() < ids.size() && System.currentTimeMillis() < deadline) {
            Thread.sleep(1_000); // polling the store; nothing tells when the last record lands
            records = records(ids);
        }
        return records;
    }
}
