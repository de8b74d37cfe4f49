package dev.wisp.invoker.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.error.ErrorKind;
import dev.wisp.common.error.WispException;
import java.net.ConnectException;
import org.ektorp.DbAccessException;
import org.junit.jupiter.api.Test;

class InvokerStoreTest {
    @Test
    void onlyAnAnswerOf4xxIsARefusal() {
        assertTrue(InvokerStore.refused(new DbAccessException("413:Payload Too Large\n{\"error\":\"too big\"}")));
        assertTrue(InvokerStore.refused(new DbAccessException("400:Bad Request")));
        // the store refusing every document alike (its credentials changed, its database is gone): not this one's
        // fault, and a record trimmed for it would lose the outcome
        assertFalse(InvokerStore.refused(new DbAccessException("401:Unauthorized")));
        assertFalse(InvokerStore.refused(new DbAccessException("403:Forbidden")));
        assertFalse(InvokerStore.refused(new DbAccessException("404:Object Not Found")));
        assertFalse(InvokerStore.refused(new DbAccessException("500:Internal Server Error\n{\"reason\":"
                + "\"IO error: No space left on device\"}")), "a full disk passes");
        assertFalse(InvokerStore.refused(new DbAccessException(new ConnectException("Connection refused"))));
        assertFalse(InvokerStore.refused(new IllegalStateException("413:not from the store")));
        assertTrue(InvokerStore.refused(new WispException(ErrorKind.UNAVAILABLE, "the store's answer, as CouchStore"
                + " reports it", new DbAccessException("413:Payload Too Large"))));
        assertFalse(InvokerStore.refused(new WispException(ErrorKind.UNAVAILABLE, "unreachable",
                new DbAccessException(new ConnectException("Connection refused")))));
    }
}
