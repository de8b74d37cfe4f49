package dev.wisp.common.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourcesTest {
    @Test
    void closesTheLastAddedFirstAndEveryOneDespiteAFailure() {
        List<String> closed = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Resources resources = new Resources((r, e) -> failures.add(e.getMessage()));
        resources.add(() -> closed.add("first"));
        resources.add(() -> {
            throw new IllegalStateException("second would not close");
        });
        resources.add(() -> closed.add("third"));

        resources.close();
        assertEquals(List.of("third", "first"), closed);
        assertEquals(List.of("second would not close"), failures);

        resources.close(); // forgotten once closed: nothing is closed twice
        assertEquals(List.of("third", "first"), closed);
    }
}
