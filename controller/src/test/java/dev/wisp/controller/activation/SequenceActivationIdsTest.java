package dev.wisp.controller.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.message.ActivationId;
import dev.wisp.controller.trigger.RuleActivationIds;
import org.junit.jupiter.api.Test;

class SequenceActivationIdsTest {
    @Test
    void theSameSequenceAndIndexAlwaysGiveTheSameIdAndAnythingElseAnother() {
        ActivationId sequence = ActivationId.generate();
        ActivationId id = SequenceActivationIds.of(sequence, 0);
        assertTrue(ActivationId.isValid(id.value()), id.value());
        assertEquals(id, SequenceActivationIds.of(ActivationId.of(sequence.value()), 0));
        assertNotEquals(id, SequenceActivationIds.of(sequence, 1));
        assertNotEquals(id, SequenceActivationIds.of(ActivationId.generate(), 0));
        assertNotEquals(sequence, id);
        assertNotEquals(id, RuleActivationIds.of(sequence, "0"), "no clash with a rule's id");
        // a nested sequence's components derive from the nested sequence's own id
        assertNotEquals(SequenceActivationIds.of(id, 0), SequenceActivationIds.of(sequence, 0));
    }
}
