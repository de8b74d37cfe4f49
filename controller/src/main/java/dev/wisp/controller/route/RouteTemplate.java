package dev.wisp.controller.route;

import dev.wisp.common.error.WispException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A path of an API with its parameters, as swagger writes it: {@code /books/{isbn}/reviews}. A segment in braces
 * matches any one non-empty segment of a request's path and names it; every other segment matches only itself.
 *
 * @param template the path as written, starting with {@code /}
 * @param segments the template's segments, {@code {name}} kept as written
 */
public record RouteTemplate(String template, List<String> segments) {
    private static final Pattern PARAMETER = Pattern.compile("\\{[A-Za-z_][A-Za-z0-9_.-]*}");

    public RouteTemplate {
        segments = List.copyOf(segments);
    }

    /**
     * @throws WispException BAD_REQUEST for a path that does not start with {@code /} or has a malformed
     *                       parameter (braces not around a whole segment, or a name used twice)
     */
    public static RouteTemplate parse(String template) {
        if (template == null || !template.startsWith("/")) {
            throw WispException.badRequest("The path '" + template + "' must start with '/'.");
        }
        List<String> segments = split(template);
        List<String> names = new ArrayList<>();
        for (String s : segments) {
            boolean parameter = PARAMETER.matcher(s).matches();
            if (!parameter && (s.indexOf('{') >= 0 || s.indexOf('}') >= 0)) {
                throw WispException.badRequest("The path '" + template + "' has a malformed parameter '" + s
                        + "': write a parameter as a whole segment, e.g. /books/{isbn}.");
            }
            if (parameter && names.contains(name(s))) {
                throw WispException.badRequest("The path '" + template + "' names the parameter '" + name(s)
                        + "' twice.");
            }
            if (parameter) {
                names.add(name(s));
            }
        }
        return new RouteTemplate(template, segments);
    }

    /** A request path's segments: split at {@code /}, empty ones dropped ({@code /a//b/} is {@code [a, b]}). */
    public static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** The parameters a request's segments give, in template order; empty when they do not match. */
    public Optional<Map<String, String>> match(List<String> path) {
        if (path.size() != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String s = segments.get(i);
            if (isParameter(s)) {
                parameters.put(name(s), path.get(i));
            } else if (!s.equals(path.get(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(parameters);
    }

    /**
     * How specific the template is, for choosing among several that match: a literal segment earlier in the path
     * beats a parameter there ({@code /books/new} over {@code /books/{isbn}}).
     */
    long specificity() {
        long score = 0;
        for (String s : segments) {
            score = score * 2 + (isParameter(s) ? 0 : 1);
        }
        return score;
    }

    /** The names of the template's parameters, in order. */
    public List<String> parameterNames() {
        return segments.stream().filter(RouteTemplate::isParameter).map(RouteTemplate::name).toList();
    }

    private static boolean isParameter(String segment) {
        return segment.length() > 2 && segment.charAt(0) == '{' && segment.charAt(segment.length() - 1) == '}';
    }

    private static String name(String segment) {
        return segment.substring(1, segment.length() - 1);
    }
}
