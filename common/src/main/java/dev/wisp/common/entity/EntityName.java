package dev.wisp.common.entity;

import dev.wisp.common.error.WispException;
import java.util.regex.Pattern;

/** OpenWhisk's rule for namespace, package and entity names. */
public final class EntityName {
    public static final int MAX_LENGTH = 256;
    private static final Pattern RULE = Pattern.compile("\\A([\\w]|[\\w][\\w@ .-]*[\\w@.-]+)\\z");

    private EntityName() {
    }

    public static boolean isValid(String name) {
        return name != null && name.length() <= MAX_LENGTH && RULE.matcher(name).matches();
    }

    /**
     * @throws WispException BAD_REQUEST naming the rule that the name breaks
     */
    public static String require(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw WispException.badRequest("The " + what + " name is missing.");
        }
        if (name.length() > MAX_LENGTH) {
            throw WispException.badRequest("The " + what + " name is too long: " + name.length()
                    + " characters, the limit is " + MAX_LENGTH + ".");
        }
        if (!RULE.matcher(name).matches()) {
            throw WispException.badRequest("The " + what + " name '" + printable(name) + "' is not allowed: names"
                    + " start with a letter, digit or underscore and may contain letters, digits, underscores,"
                    + " '@', '.', '-' and spaces.");
        }
        return name;
    }

    private static String printable(String name) {
        String shown = name.length() > 64 ? name.substring(0, 64) + "..." : name;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
