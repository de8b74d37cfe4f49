package dev.wisp.controller.activation;

import dev.wisp.common.message.ActivationId;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The activation id of a sequence's component, derived from the sequence's activation id and the component's
 * index (a name-based UUID as 32 hex digits). A sequence taken over after a crash therefore reuses every id, and a
 * record stored under one shows that component ran already.
 */
public final class SequenceActivationIds {
    private SequenceActivationIds() {
    }

    public static ActivationId of(ActivationId sequenceActivation, int index) {
        byte[] name = (sequenceActivation.value() + "/sequence/" + index).getBytes(StandardCharsets.UTF_8);
        return new ActivationId(UUID.nameUUIDFromBytes(name).toString().replace("-", ""));
    }
}
