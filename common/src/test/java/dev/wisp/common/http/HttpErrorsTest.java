package dev.wisp.common.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HttpErrorsTest {
    @Test
    void wellFormedEscapesPass() {
        for (String path : new String[] {"/api/v1/namespaces/_/actions/a%20b", "/x%2F%2f", "/plain", "/", "", null}) {
            assertFalse(HttpErrors.hasBadEscape(path), path);
        }
    }

    @Test
    void malformedEscapesAreFound() {
        for (String path : new String[] {"/a%zz", "/a%2", "/a%", "/%%41", "/a%g0/b", "/ok%41%4"}) {
            assertTrue(HttpErrors.hasBadEscape(path), path);
        }
    }
}
