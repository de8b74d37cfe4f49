package dev.wisp.controller.api.web;

import dev.wisp.common.entity.EntityName;
import dev.wisp.common.entity.EntityPath;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A web action URL taken apart: {@code /api/v1/web/{namespace}/{package or default}/{action}[.{ext}][/{more}]}.
 * Without a known extension the whole last segment is the action's name and the extension is {@code .http},
 * as in OpenWhisk.
 *
 * @param packageName null for {@code default}, an action outside any package
 * @param rest        what follows the action and its extension, raw ({@code ""} or starting with {@code /})
 * @param explicit    whether the extension was written in the URL
 */
public record WebPath(String namespace, String packageName, String action, Extension extension, String rest,
               boolean explicit) {
    static final String PREFIX = "/api/v1/web/";

    /** The content extensions OpenWhisk knows, each naming the form of the response. */
    enum Extension {
        HTTP(".http"), JSON(".json"), HTML(".html"), SVG(".svg"), TEXT(".text");

        final String suffix;

        Extension(String suffix) {
            this.suffix = suffix;
        }

        /** OpenWhisk's list of them, for the message when a URL names another one. */
        static String list() {
            return "[.http, .json, .html, .svg, .text]";
        }
    }

    /**
     * @return empty when the path has fewer than three segments after {@code /api/v1/web/}
     * @throws dev.wisp.common.error.WispException BAD_REQUEST for a name that breaks OpenWhisk's rule
     */
    static Optional<WebPath> parse(String rawPath) {
        if (rawPath == null || !rawPath.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = rawPath.substring(PREFIX.length()).split("/", 4);
        if (parts.length < 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            return Optional.empty();
        }
        String namespace = EntityName.require("namespace", decode(parts[0]));
        String pkg = decode(parts[1]);
        String packageName = pkg.equals("default") ? null : EntityName.require("package", pkg);
        String segment = decode(parts[2]);
        String rest = parts.length == 4 ? "/" + parts[3] : "";
        for (Extension e : Extension.values()) {
            if (segment.endsWith(e.suffix) && segment.length() > e.suffix.length()) {
                String action = segment.substring(0, segment.length() - e.suffix.length());
                return Optional.of(new WebPath(namespace, packageName, EntityName.require("action", action), e,
                        rest, true));
            }
        }
        return Optional.of(new WebPath(namespace, packageName, EntityName.require("action", segment),
                Extension.HTTP, rest, false));
    }

    EntityPath entityPath() {
        return new EntityPath(namespace, packageName, action);
    }

    /**
     * When the action's name ends in what looks like an unknown extension ({@code hello.xml}), the path of the
     * action without it ({@code hello}), to tell the caller which extensions exist should only that one be found.
     */
    Optional<EntityPath> withoutUnknownExtension() {
        int dot = action.lastIndexOf('.');
        if (explicit || dot <= 0 || dot == action.length() - 1
                || !action.substring(dot + 1).chars().allMatch(Character::isLetter)) {
            return Optional.empty();
        }
        String base = action.substring(0, dot);
        return EntityName.isValid(base) ? Optional.of(new EntityPath(namespace, packageName, base))
                : Optional.empty();
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
