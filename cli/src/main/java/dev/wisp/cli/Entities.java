package dev.wisp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;

/** The get, delete and list every entity type shares (triggers, rules, packages). */
final class Entities {
    private Entities() {
    }

    static void get(Context c, String type, String collection) {
        c.args.atMost(2, "./wisp " + type + " get NAME [FIELD]");
        EntityName name = c.name(c.args.positional(0, "the " + type + "'s NAME"));
        JsonNode e = c.api().ok("get " + type + " '" + name.display() + "'", "GET", name.path(collection), null, null);
        String field = c.args.optionalPositional(1);
        if (field != null) {
            c.out.println(Json.pretty(e.path(field)));
            return;
        }
        if (!c.json()) {
            c.out.println("ok: got " + type + " " + name.display());
        }
        c.out.println(Json.pretty(e));
    }

    static void delete(Context c, String type, String collection) {
        c.args.atMost(1, "./wisp " + type + " delete NAME");
        EntityName name = c.name(c.args.positional(0, "the " + type + "'s NAME"));
        JsonNode gone = c.api().ok("delete " + type + " '" + name.display() + "'", "DELETE", name.path(collection),
                null, null);
        c.done("deleted " + type + " " + name.display(), gone);
    }

    /** A list as a table whose first column is {@code first} and the others {@code columns}, one row per entity. */
    static void list(Context c, String collection, String first, Function<JsonNode, Object[]> row,
                     String... columns) {
        c.args.atMost(0, "./wisp " + collection.substring(0, collection.length() - 1) + " list");
        String path = "/namespaces/" + EntityName.enc(c.props().namespace()) + "/" + collection;
        print(c, c.api().ok("list " + collection, "GET", path, ActionCommands.page(c), null), first, row, columns);
    }

    static void print(Context c, JsonNode list, String first, Function<JsonNode, Object[]> row, String... columns) {
        if (c.json()) {
            c.out.println(Json.pretty(list));
            return;
        }
        String[] header = new String[columns.length + 1];
        header[0] = first;
        System.arraycopy(columns, 0, header, 1, columns.length);
        Table t = new Table(header);
        for (JsonNode e : list) {
            t.row(row.apply(e));
        }
        t.print(c.out);
    }
}
