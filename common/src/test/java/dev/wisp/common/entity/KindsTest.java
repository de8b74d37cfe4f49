package dev.wisp.common.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.codec.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kinds by family, {@code family:default} made concrete, and what an exec looks like once read. */
class KindsTest {
    @Test
    void aDefaultKindIsTheFamilysDefault() {
        assertEquals("nodejs:20", Kinds.concrete("nodejs:default"));
        assertEquals("python:3.11", Kinds.concrete("python:default"));
        assertEquals("java:17", Kinds.concrete("java:default"));
        assertEquals("nodejs:18", Kinds.concrete("nodejs:18"));
        assertEquals("ruby:default", Kinds.concrete("ruby:default"), "an unknown family stays as written");
        assertEquals("blackbox", Kinds.concrete("blackbox"));
    }

    @Test
    void everyFamilyHasExactlyOneDefaultAndEveryKindAnImage() {
        assertEquals(List.of("nodejs", "python", "java"), List.copyOf(Kinds.byFamily().keySet()));
        Kinds.byFamily().forEach((family, kinds) -> {
            assertEquals(1, kinds.stream().filter(Kinds.Runtime::isDefault).count(), family);
            kinds.forEach(r -> {
                assertTrue(r.kind().startsWith(family + ":"), r.kind());
                assertTrue(Kinds.isWispImage(r.image()), r.image());
            });
        });
        assertTrue(Kinds.isKnown("nodejs:default"));
        assertTrue(Kinds.known().containsAll(List.of("nodejs:default", "nodejs:18", "nodejs:20", "blackbox")));
        assertFalse(Kinds.isKnown("nodejs:99"));
        assertEquals(Kinds.image("nodejs:20"), Kinds.image("nodejs:default"));
    }

    @Test
    void anExecIsMadeAndReadWithTheConcreteKindAndItsBinaryFlag() {
        Exec written = new Exec("nodejs:default", "code", null, null, null, null);
        assertEquals("nodejs:20", written.kind());
        assertEquals(false, written.binary());
        Exec read = Json.convert(Json.object().put("kind", "python:default").put("code", ""), Exec.class);
        assertEquals("python:3.11", read.kind());
        assertEquals("{\"kind\":\"python:3.11\",\"code\":\"\",\"binary\":false}", new String(Json.encode(read)));
        Exec sequence = new Exec("sequence", null, null, null, null, List.of("/ns/a"));
        assertNull(sequence.binary(), "a sequence has no binary flag");
    }

    @Test
    void theExecAnnotationRepeatsTheKindAndReplacesAnyOther() {
        WhiskAction a = new WhiskAction("ns", "a", SemVer.INITIAL, false,
                new Exec("nodejs:default", "x", null, null, null, null),
                List.of(new KeyValue("exec", Json.toTree("old")), new KeyValue("web-export", Json.toTree(true))),
                null, null, 0).withExecAnnotation();
        assertEquals("[{\"key\":\"exec\",\"value\":\"nodejs:20\"},{\"key\":\"web-export\",\"value\":true}]",
                new String(Json.encode(a.annotations())), "replaced where it stood");
        WhiskAction without = new WhiskAction("ns", "b", SemVer.INITIAL, false,
                new Exec("python:3", "x", null, null, null, null),
                List.of(new KeyValue("web-export", Json.toTree(true))), null, null, 0).withExecAnnotation();
        assertEquals("[{\"key\":\"web-export\",\"value\":true},{\"key\":\"exec\",\"value\":\"python:3\"}]",
                new String(Json.encode(without.annotations())), "added at the end");
        assertEquals(Json.toTree(a), Json.toTree(a.withExecAnnotation()), "reading back changes nothing");
    }
}
