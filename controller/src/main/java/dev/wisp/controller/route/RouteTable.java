package dev.wisp.controller.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The operations of one namespace's APIs, looked up by verb and path. A request's path is matched against the
 * base path that is the longest prefix of it (whole segments), then against that API's paths; when several
 * paths match, the most literal one wins ({@code /books/new} over {@code /books/{isbn}}).
 */
public final class RouteTable {
    private final List<ApiRoute> routes;

    /** What a lookup found. */
    public sealed interface Lookup {
    }

    /**
     * @param parameters the path parameters, by name
     * @param relPath    the request's path under the API's base path, starting with {@code /}
     */
    public record Found(ApiRoute route, Map<String, String> parameters, String relPath) implements Lookup {
    }

    /** The path is an API's, but not with this verb. */
    public record WrongMethod(TreeSet<String> allowed, boolean cors) implements Lookup {
    }

    /** No API has the path. */
    public record NotFound() implements Lookup {
    }

    public RouteTable(List<ApiRoute> routes) {
        this.routes = List.copyOf(routes);
    }

    public List<ApiRoute> routes() {
        return routes;
    }

    /**
     * @param method the request's verb, any case
     * @param path   the request's path after {@code /api/{namespace}}, e.g. {@code /books/978-3}
     */
    public Lookup find(String method, String path) {
        List<String> segments = RouteTemplate.split(path);
        List<String> bases = routes.stream().map(ApiRoute::basePath).distinct()
                .sorted(Comparator.comparingInt((String b) -> RouteTemplate.split(b).size()).reversed()).toList();
        for (String base : bases) {
            List<String> baseSegments = RouteTemplate.split(base);
            if (baseSegments.size() > segments.size() || !segments.subList(0, baseSegments.size()).equals(baseSegments)) {
                continue;
            }
            List<String> rest = segments.subList(baseSegments.size(), segments.size());
            Optional<Lookup> found = findUnder(base, rest, method.toLowerCase(Locale.ROOT));
            if (found.isPresent()) {
                return found.get();
            }
        }
        return new NotFound();
    }

    private Optional<Lookup> findUnder(String base, List<String> rest, String method) {
        long best = -1;
        List<ApiRoute> candidates = new ArrayList<>();
        for (ApiRoute r : routes) {
            if (!r.basePath().equals(base) || r.path().match(rest).isEmpty()) {
                continue;
            }
            long score = r.path().specificity();
            if (score > best) {
                best = score;
                candidates.clear();
            }
            if (score == best) {
                candidates.add(r);
            }
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        String relPath = "/" + String.join("/", rest);
        for (ApiRoute r : candidates) {
            if (r.method().equals(method)) {
                return Optional.of(new Found(r, r.path().match(rest).orElseThrow(), relPath));
            }
        }
        TreeSet<String> allowed = new TreeSet<>();
        candidates.forEach(r -> allowed.add(r.method().toUpperCase(Locale.ROOT)));
        return Optional.of(new WrongMethod(allowed, candidates.stream().anyMatch(ApiRoute::cors)));
    }
}
