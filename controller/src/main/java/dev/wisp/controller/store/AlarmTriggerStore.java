package dev.wisp.controller.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wisp.common.entity.EntityPath;
import dev.wisp.common.store.CouchStore;
import dev.wisp.controller.alarm.AlarmSource;
import dev.wisp.controller.alarm.AlarmTrigger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ektorp.CouchDbConnector;
import org.ektorp.ViewQuery;
import org.ektorp.ViewResult;
import org.ektorp.support.DesignDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The alarm triggers in the {@code whisks} database, through a view of the triggers that name the alarms feed. */
public final class AlarmTriggerStore implements AlarmSource {
    private static final Logger LOG = LoggerFactory.getLogger(AlarmTriggerStore.class);
    private static final String DESIGN = "_design/wisp-alarms";
    private static final String VIEW = "alarms";
    private final CouchStore store;
    private final CouchDbConnector db;

    /** Opens the database and ensures the view. Blocking: call at start-up, off the event loop. */
    public AlarmTriggerStore(CouchStore store) {
        this.store = store;
        this.db = store.database("whisks");
        DesignDocs.ensure(db, DESIGN, Map.of(VIEW, new DesignDocument.View(
                "function (doc) { if (doc.entityType === 'trigger' && doc.namespace && doc.annotations) {"
                        + " for (var i = 0; i < doc.annotations.length; i++) { var a = doc.annotations[i];"
                        + " if (a.key === 'feed' && (a.value === '" + AlarmTrigger.FEED + "' || a.value === '"
                        + AlarmTrigger.FEED.substring(1) + "')) { emit(doc._id, null); break; } } } }")));
    }

    @Override
    public List<AlarmTrigger> load() throws Exception {
        List<AlarmTrigger> out = new ArrayList<>();
        List<ViewResult.Row> rows = store.call(() -> db.queryView(new ViewQuery().designDocId(DESIGN).viewName(VIEW)
                .includeDocs(true)).getRows()).toCompletionStage().toCompletableFuture().get();
        for (ViewResult.Row row : rows) {
            JsonNode doc = row.getDocAsNode();
            if (doc == null || !doc.isObject() || !AlarmTrigger.hasSchedule(doc.path("parameters"))) {
                continue;
            }
            EntityPath path = EntityPath.of(doc.path("namespace").asText(), doc.path("name").asText());
            try {
                out.add(AlarmTrigger.from(path, doc.path("parameters"), doc.path("updated").asLong(0)));
            } catch (IllegalArgumentException e) {
                LOG.warn("alarm trigger {} left out: {}", path, e.getMessage());
            }
        }
        return out;
    }
}
