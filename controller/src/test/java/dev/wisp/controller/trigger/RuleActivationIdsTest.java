package dev.wisp.controller.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.message.ActivationId;
import org.junit.jupiter.api.Test;

class RuleActivationIdsTest {
    @Test
    void theSameFireAndRuleAlwaysGiveTheSameIdAndAnythingElseAnother() {
        ActivationId fire = ActivationId.generate();
        ActivationId id = RuleActivationIds.of(fire, "guest/r1");
        assertTrue(ActivationId.isValid(id.value()), id.value());
        assertEquals(id, RuleActivationIds.of(ActivationId.of(fire.value()), "guest/r1"));
        assertNotEquals(id, RuleActivationIds.of(fire, "guest/r2"));
        assertNotEquals(id, RuleActivationIds.of(ActivationId.generate(), "guest/r1"));
        assertNotEquals(fire, id);
    }
}
