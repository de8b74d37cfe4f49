package dev.wisp.common.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The settings one component knows, declared as {@code public static final} {@link Setting} constants of the
 * implementing class (listed in declaration order): {@code CommonSettings}, {@code ControllerSettings},
 * {@code InvokerSettings}, {@code GatewaySettings}, {@code StandaloneSettings}. The README's settings table is
 * printed from them (and checked against them by a test of the distribution module).
 */
public interface SettingDefinitions {

    /** The component's name, from the class's: {@code controller} for {@code ControllerSettings}. */
    default String component() {
        return getClass().getSimpleName().replace("Settings", "").toLowerCase(Locale.ROOT);
    }

    /** The component's settings, in the order the class declares them. */
    default List<Setting<?>> settings() {
        List<Setting<?>> settings = new ArrayList<>();
        for (Field f : getClass().getDeclaredFields()) {
            int m = f.getModifiers();
            if (Setting.class.equals(f.getType()) && Modifier.isStatic(m) && Modifier.isPublic(m)) {
                try {
                    settings.add((Setting<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return settings;
    }
}
