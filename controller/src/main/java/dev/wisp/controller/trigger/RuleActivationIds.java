package dev.wisp.controller.trigger;

import dev.wisp.common.message.ActivationId;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The activation id of a rule's action in one fire, derived from the trigger's activation id and the rule's
 * fully qualified name (a name-based UUID as 32 hex digits). A fire processed again after a crash therefore
 * reuses every id, and a record already stored under an id shows that rule's activation was started before.
 */
public final class RuleActivationIds {
    private RuleActivationIds() {
    }

    public static ActivationId of(ActivationId triggerActivation, String qualifiedRuleName) {
        byte[] name = (triggerActivation.value() + "/" + qualifiedRuleName).getBytes(StandardCharsets.UTF_8);
        return new ActivationId(UUID.nameUUIDFromBytes(name).toString().replace("-", ""));
    }
}
