package dev.wisp.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * An entity name as {@code wsk} takes one: {@code name}, {@code pkg/name}, {@code /ns/name} or
 * {@code /ns/pkg/name}; without a namespace it is the configured one ({@code _}: the key's own).
 *
 * @param pkg the package, or null
 */
record EntityName(String namespace, String pkg, String name) {

    static EntityName parse(String text, String defaultNamespace) {
        String ns = defaultNamespace;
        String rest = text;
        if (text.startsWith("/")) {
            int slash = text.indexOf('/', 1);
            if (slash < 0) {
                throw CliException.usage("'" + text + "' names a namespace only; write /namespace/name");
            }
            ns = text.substring(1, slash);
            rest = text.substring(slash + 1);
        }
        String[] parts = rest.split("/", -1);
        if (parts.length > 2 || rest.isEmpty() || ns.isEmpty() || java.util.Arrays.stream(parts).anyMatch(String::isEmpty)) {
            throw CliException.usage("'" + text + "' is not an entity name: write name, package/name,"
                    + " /namespace/name or /namespace/package/name");
        }
        return parts.length == 2 ? new EntityName(ns, parts[0], parts[1]) : new EntityName(ns, null, parts[0]);
    }

    /** The API path of this entity in a collection ({@code actions}, {@code triggers}...). */
    String path(String collection) {
        return "/namespaces/" + enc(namespace) + "/" + collection + "/"
                + (pkg == null ? "" : enc(pkg) + "/") + enc(name);
    }

    /** {@code /ns/[pkg/]name}, as a user would write it, and as {@code wsk} names entities in its output. */
    String full() {
        return "/" + namespace + "/" + (pkg == null ? "" : pkg + "/") + name;
    }

    /** As a user wrote it: without the namespace when it is the key's own ({@code _}). */
    String display() {
        return namespace.equals("_") ? (pkg == null ? "" : pkg + "/") + name : full();
    }

    static String enc(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
