package dev.wisp.controller.api.web;

import java.util.Locale;
import java.util.regex.Pattern;

/** Which media types web actions treat as JSON, as text, or as binary data carried in base64. */
public final class MediaTypes {
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+");

    private MediaTypes() {
    }

    /** The {@code type/subtype} of a Content-Type value, lower case; null when absent or malformed. */
    static String of(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
        return TYPE.matcher(type).matches() ? type.toLowerCase(Locale.ROOT) : null;
    }

    /** {@code application/json} or any {@code +json} type. */
    static boolean isJson(String mediaType) {
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    /** Text that travels as a string; every other type is binary and travels base64-encoded. */
    static boolean isText(String mediaType) {
        return mediaType.startsWith("text/") || isJson(mediaType) || mediaType.endsWith("+xml")
                || mediaType.equals("application/xml") || mediaType.equals("application/javascript")
                || mediaType.equals("application/ecmascript") || mediaType.equals("application/x-javascript")
                || mediaType.equals("application/x-www-form-urlencoded") || mediaType.equals("application/graphql");
    }

    /** A text type gets an explicit UTF-8 charset unless it names one. */
    static String withCharset(String contentType, String mediaType) {
        if (isText(mediaType) && !contentType.toLowerCase(Locale.ROOT).contains("charset=")
                && !isJson(mediaType)) {
            return contentType + "; charset=UTF-8";
        }
        return contentType;
    }
}
