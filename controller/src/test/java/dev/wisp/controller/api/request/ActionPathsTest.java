package dev.wisp.controller.api.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wisp.common.error.WispException;
import org.junit.jupiter.api.Test;

class ActionPathsTest {
    @Test
    void aNamespaceSegmentIsANamespaceOrAPackagesPath() {
        assertEquals(new ActionPaths.Segment("guest", null), ActionPaths.Segment.parse("guest"));
        assertEquals(new ActionPaths.Segment("_", null), ActionPaths.Segment.parse("_"));
        assertEquals(new ActionPaths.Segment(null, null), ActionPaths.Segment.parse(null));
        assertEquals(new ActionPaths.Segment("guest", "utils"), ActionPaths.Segment.parse("guest/utils"));
        assertEquals(new ActionPaths.Segment("_", "utils"), ActionPaths.Segment.parse("_/utils"));
    }

    @Test
    void aPackagesPathHasOneValidPackageName() {
        for (String bad : new String[] {"guest/", "guest/a/b", "guest/-x"}) {
            WispException e = assertThrows(WispException.class, () -> ActionPaths.Segment.parse(bad), bad);
            assertEquals(400, e.status(), bad);
        }
    }
}
