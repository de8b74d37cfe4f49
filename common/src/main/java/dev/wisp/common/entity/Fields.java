package dev.wisp.common.entity;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the compact constructors of the entity and message records check and copy. */
public final class Fields {
    private Fields() {
    }

    /**
     * Checks that no value is null.
     *
     * @param names  the values' field names, comma-separated, in the order of {@code values}
     * @throws NullPointerException with the name of the first null value as its message
     */
    public static void required(String names, Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new NullPointerException(names.split(",\\s*")[i]);
            }
        }
    }

    /** An unmodifiable copy of {@code list}; empty for null. */
    public static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    /** An unmodifiable copy of {@code map} in its order; empty for null. */
    public static <K, V> Map<K, V> orderedMap(Map<K, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
