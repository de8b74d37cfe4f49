package dev.wisp.controller.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wisp.common.codec.Json;
import dev.wisp.common.store.CouchStore;
import java.util.ArrayList;
import java.util.List;
import org.ektorp.CouchDbConnector;
import org.ektorp.ViewQuery;
import org.ektorp.ViewResult;

/**
 * A newest-first page or a count over a view whose keys are {@code [prefix..., time]} and whose reduce is
 * {@code _count}. Bounds are inclusive epoch milliseconds. Blocking: run it through {@link CouchStore#call}.
 */
record ViewRange(String design, String view, List<Object> prefix, long since, long upto) {
    ViewRange {
        prefix = List.copyOf(prefix);
    }

    private ViewQuery query() {
        List<Object> high = new ArrayList<>(prefix);
        high.add(upto == Long.MAX_VALUE ? Json.object() : upto);
        List<Object> low = new ArrayList<>(prefix);
        low.add(since);
        return new ViewQuery().designDocId(design).viewName(view).descending(true)
                .rawStartKey(Json.encodeToString(high)).rawEndKey(Json.encodeToString(low));
    }

    /** The documents of one page, newest first. */
    List<JsonNode> page(CouchDbConnector db, int skip, int limit) {
        ViewQuery q = query().reduce(false).includeDocs(true).skip(skip).limit(limit);
        List<JsonNode> docs = new ArrayList<>();
        for (ViewResult.Row row : db.queryView(q).getRows()) {
            JsonNode doc = row.getDocAsNode();
            if (doc != null && doc.isObject()) {
                docs.add(doc);
            }
        }
        return docs;
    }

    /** How many rows the range holds. */
    long count(CouchDbConnector db) {
        List<ViewResult.Row> rows = db.queryView(query().reduce(true)).getRows();
        return rows.isEmpty() ? 0 : rows.get(0).getValueAsNode().asLong();
    }
}
