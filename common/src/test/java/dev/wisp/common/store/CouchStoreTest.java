package dev.wisp.common.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.error.ErrorKind;
import dev.wisp.common.error.WispException;
import java.net.SocketTimeoutException;
import org.ektorp.DbAccessException;
import org.junit.jupiter.api.Test;

class CouchStoreTest {
    @Test
    void aDocumentTooLargeIsTheCallersToShrink() {
        DbAccessException answer = new DbAccessException("413:Payload Too Large\n{\"error\":\"document_too_large\"}");
        WispException e = CouchStore.translate(answer);
        assertEquals(ErrorKind.PAYLOAD_TOO_LARGE, e.kind());
        assertTrue(e.getMessage().contains("413:Payload Too Large"), e.getMessage());
        assertSame(answer, e.getCause(), "the store's answer stays inside, for whoever needs its status");
    }

    @Test
    void aStoreThatFailsOrDoesNotAnswerPasses() {
        WispException failed = CouchStore.translate(new DbAccessException("500:Internal Server Error\n{}"));
        assertEquals(ErrorKind.UNAVAILABLE, failed.kind());
        assertEquals("The store failed (500:Internal Server Error); try again later.", failed.getMessage());
        WispException away = CouchStore.translate(new DbAccessException(new SocketTimeoutException("Read timed out")));
        assertEquals(ErrorKind.UNAVAILABLE, away.kind());
        assertEquals("The store did not answer in time; try again later.", away.getMessage());
    }
}
