package dev.wisp.common.entity;

import java.util.Objects;

/** One entry of a trigger's {@code rules} map: the rule's action and whether the rule is active. */
public record TriggerRule(EntityRef action, String status) {
    public static final String ACTIVE = "active";
    public static final String INACTIVE = "inactive";

    public TriggerRule {
        Objects.requireNonNull(action, "action");
        if (!ACTIVE.equals(status) && !INACTIVE.equals(status)) {
            throw new IllegalArgumentException("rule status must be active or inactive, got " + status);
        }
    }

    public boolean active() {
        return ACTIVE.equals(status);
    }

    public TriggerRule withStatus(String newStatus) {
        return new TriggerRule(action, newStatus);
    }
}
