package dev.wisp.invoker.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.codec.Json;
import dev.wisp.common.entity.ActivationResponse;
import dev.wisp.invoker.runtime.RunResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActivationRecordsTest {
    private static RunResult answer(int status, String json) {
        var node = Json.parseUserJson(json.getBytes());
        return new RunResult(status, node, json.length(), List.of(), false, null, true);
    }

    @Test
    void objectIsSuccessAndErrorFieldIsApplicationError() {
        assertEquals(ActivationResponse.SUCCESS, ActivationRecords.classify(answer(200, "{\"a\":1}"), 1000, 100).statusCode());
        assertEquals(ActivationResponse.APPLICATION_ERROR,
                ActivationRecords.classify(answer(200, "{\"error\":\"x\"}"), 1000, 100).statusCode());
    }

    @Test
    void crashesTimeoutsAndOversizedResultsAreDeveloperErrors() {
        ActivationResponse crash = ActivationRecords.classify(answer(502, "{\"error\":\"boom\"}"), 1000, 100);
        assertEquals(ActivationResponse.DEVELOPER_ERROR, crash.statusCode());
        assertEquals("boom", crash.result().path("error").asText());

        ActivationResponse timeout = ActivationRecords.classify(RunResult.timeout(), 1234, 100);
        assertEquals("The action exceeded its time limits of 1234 milliseconds.", timeout.result().path("error").asText());

        ActivationResponse big = ActivationRecords.classify(answer(200, "{\"a\":\"" + "x".repeat(200) + "\"}"), 1000, 100);
        assertEquals(ActivationResponse.DEVELOPER_ERROR, big.statusCode());
        assertTrue(big.result().path("error").asText().contains("exceeded the allowed length"));

        ActivationResponse notObject = ActivationRecords.classify(answer(200, "[1]"), 1000, 100);
        assertEquals("The action did not return a dictionary.", notObject.result().path("error").asText());
    }

    @Test
    void aTrimmedRecordKeepsASmallOutcomeAndSaysWhyItsLogsAreGone() {
        var a = new dev.wisp.common.entity.Activation("ns", "a", "ns", "id1", "0.0.1", false, 1, 2, 1,
                ActivationResponse.success(Json.object().put("ok", true)), List.of("x".repeat(10), "y"), List.of(),
                null);
        var t = ActivationRecords.trimmed(a, "413:Payload Too Large\n{\"error\":\"too big\"}");
        assertEquals(ActivationResponse.SUCCESS, t.response().statusCode());
        assertEquals(List.of("[wisp] The store refused this activation's record (413:Payload Too Large); its 2 log"
                + " lines (11 characters) were dropped."), t.logs());
        assertTrue(ActivationRecords.isTrimmed(t));

        var big = new dev.wisp.common.entity.Activation("ns", "a", "ns", "id2", "0.0.1", false, 1, 2, 1,
                ActivationResponse.success(Json.object().put("big", "z".repeat(100_000))), List.of(), List.of(), null);
        assertEquals(ActivationResponse.SYSTEM_ERROR, ActivationRecords.trimmed(big, null).response().statusCode());
    }

    @Test
    void aBareRecordKeepsNothingTheStoreMightRefuse() {
        var a = new dev.wisp.common.entity.Activation("ns", "a", "ns", "id1", "0.0.1", false, 1, 2, 1,
                ActivationResponse.success(Json.object().put("ok", true)), List.of("x"),
                List.of(new dev.wisp.common.entity.KeyValue("path", Json.toTree("ns/a"))), null);
        var t = ActivationRecords.trimmed(a, "400:Bad Request");
        assertTrue(!ActivationRecords.isBare(t), "a trimmed record is not yet the last resort");
        var b = ActivationRecords.bare(t, "400:Bad Request\n{\"error\":\"bad\"}");
        assertEquals(ActivationResponse.SYSTEM_ERROR, b.response().statusCode());
        assertTrue(b.response().result().path("error").asText().contains("400:Bad Request"));
        assertEquals(List.of(), b.logs());
        assertTrue(ActivationRecords.isBare(b) && ActivationRecords.isTrimmed(b));
        assertEquals(2, b.annotations().size());
    }
}
