package dev.wisp.controller.admin;

import dev.wisp.common.config.ConfigException;
import dev.wisp.common.config.Settings;
import dev.wisp.common.entity.NamespaceLimits;
import dev.wisp.common.entity.Subject;
import dev.wisp.common.store.CouchStore;
import dev.wisp.controller.store.SubjectStore;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operator's command for subjects, run against the store:
 * <pre>
 * AdminMain --store.url=URL [--store.user=U --store.password=P --store.prefix=wisp_]
 *           [--kafka.bootstrap=HOST:PORT] COMMAND
 *   user create NAME [--namespace NS]     prints the new uuid:key
 *   user list
 *   user delete NAME
 *   key rotate NAME [--namespace NS]      prints the new uuid:key
 *   limits set NAME [--invocationsPerMinute N] [--concurrentInvocations N] [--firesPerMinute N]
 *   catalog install                       install or update the system catalog (/whisk.system/utils, ...)
 * </pre>
 * With {@code --kafka.bootstrap}, revoked keys ({@code key rotate}, {@code user delete}) are announced on the
 * cache invalidation topic so running controllers stop accepting them at once; without it they may accept
 * them for up to their authentication cache's 10 s; so are the catalog entities {@code catalog install} changed,
 * which running controllers otherwise keep serving from their caches for up to {@code controller.cache.ttl}.
 * Exit status: 0 done, 1 refused (e.g. the name is taken),
 * 2 bad usage or configuration.
 */
public final class AdminMain {
    private static final Set<String> OPTIONS = Set.of("namespace", "invocationsPerMinute", "concurrentInvocations",
            "firesPerMinute");
    static final String USAGE = """
            usage: AdminMain --store.url=URL [--store.user=U --store.password=P --store.prefix=wisp_]
                             [--kafka.bootstrap=HOST:PORT (announce revoked keys and catalog changes to running controllers)] COMMAND
              user create NAME [--namespace NS]   create a subject and its namespace (NS defaults to NAME); prints uuid:key
              user list                           list subjects and their namespaces
              user delete NAME                    delete a subject
              key rotate NAME [--namespace NS]    replace a namespace's uuid:key; prints the new one
              limits set NAME [--invocationsPerMinute N] [--concurrentInvocations N] [--firesPerMinute N]
                                                  override the throttles of the subject's namespaces (none: defaults)
              catalog install                     install or update the system catalog: the published packages of
                                                  /whisk.system (utils, alarms); changes only what differs""";

    private AdminMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs one command; returns the exit status. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        List<String> words = new ArrayList<>();
        List<String> flags = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String option = a.startsWith("--") ? a.substring(2).split("=", 2)[0] : null;
            if (option != null && OPTIONS.contains(option)) {
                if (a.contains("=")) {
                    options.put(option, a.substring(a.indexOf('=') + 1));
                } else if (i + 1 < args.length) {
                    options.put(option, args[++i]);
                } else {
                    err.println("--" + option + " needs a value\n" + USAGE);
                    return 2;
                }
            } else if (a.startsWith("--")) {
                flags.add(a);
            } else {
                words.add(a);
            }
        }
        Settings settings = Settings.load(flags.toArray(String[]::new), env);
        String url = settings.required("store.url");
        try {
            settings.check();
        } catch (ConfigException e) {
            err.println(e.getMessage() + "\n" + USAGE);
            return 2;
        }
        Vertx vertx = Vertx.vertx();
        CouchStore store = null;
        try {
            store = new CouchStore(vertx, url, settings.string("store.user", null),
                    settings.string("store.password", null), settings.string("store.prefix", "wisp_"));
            Revocations revocations = new Revocations(settings.string("kafka.bootstrap", null), err);
            if (words.equals(List.of("catalog", "install"))) {
                return CatalogCommand.install(store, revocations, out);
            }
            return dispatch(new SubjectAdmin(new SubjectStore(store)), revocations, words, options, out, err);
        } catch (SubjectAdmin.AdminException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("error: the store at " + url + " failed: " + e);
            return 1;
        } finally {
            if (store != null) {
                store.close();
            }
            vertx.close();
        }
    }

    private static int dispatch(SubjectAdmin admin, Revocations revocations, List<String> w,
                                Map<String, String> options, PrintStream out, PrintStream err) {
        String command = String.join(" ", w.subList(0, Math.min(2, w.size())));
        String name = w.size() == 3 ? w.get(2) : null;
        switch (command) {
            case "user create" -> {
                if (name != null) {
                    out.println(admin.create(name, options.get("namespace")).auth());
                    return 0;
                }
            }
            case "user list" -> {
                if (w.size() == 2) {
                    for (Subject s : admin.list()) {
                        out.println(s.subject() + "\t" + String.join(",", s.namespaces().stream()
                                .map(Subject.NamespaceKey::name).toList()) + (s.blocked() ? "\tblocked" : ""));
                    }
                    return 0;
                }
            }
            case "user delete" -> {
                if (name != null) {
                    revocations.announce(admin.delete(name));
                    out.println("deleted " + name);
                    return 0;
                }
            }
            case "key rotate" -> {
                if (name != null) {
                    SubjectAdmin.Rotated rotated = admin.rotate(name, options.get("namespace"));
                    revocations.announce(List.of(rotated.revokedUuid()));
                    out.println(rotated.credentials().auth());
                    return 0;
                }
            }
            case "limits set" -> {
                if (name != null) {
                    NamespaceLimits limits;
                    try {
                        limits = new NamespaceLimits(number(options, "invocationsPerMinute"),
                                number(options, "concurrentInvocations"), number(options, "firesPerMinute"));
                    } catch (IllegalArgumentException e) {
                        err.println("error: " + e.getMessage());
                        return 2;
                    }
                    admin.setLimits(name, limits);
                    out.println("limits of " + name + " set");
                    return 0;
                }
            }
            default -> {
                // usage below
            }
        }
        err.println(USAGE);
        return 2;
    }

    private static Integer number(Map<String, String> options, String key) {
        String v = options.get(key);
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be an integer, got '" + v + "'");
        }
    }
}
