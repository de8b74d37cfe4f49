package dev.wisp.cli.folder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionFolderTest {
    @TempDir
    Path tmp;

    private Path folder(String metadata) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("fn"));
        if (metadata != null) {
            Files.writeString(dir.resolve("wisp.json"), metadata);
        }
        return dir;
    }

    private static List<String> zipNames(String base64) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(base64)))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        return names;
    }

    @Test
    void aNodeFolderIsZippedWithItsModulesButNotWhatItLinksOutside() throws IOException {
        Path dir = folder("{\"kind\": \"nodejs:20\", \"limits\": {\"memory\": 128}, \"params\": {\"a\": 1}}");
        Files.writeString(dir.resolve("index.js"), "exports.main = () => ({})");
        Files.createDirectories(dir.resolve("node_modules/m"));
        Files.writeString(dir.resolve("node_modules/m/index.js"), "");
        Path secret = Files.writeString(tmp.resolve("secret"), "the user's");
        Files.createSymbolicLink(dir.resolve("leak"), secret);
        Files.createSymbolicLink(dir.resolve("up"), tmp);
        Files.createSymbolicLink(dir.resolve("same.js"), dir.resolve("index.js"));
        List<String> warnings = new ArrayList<>();
        FunctionFolder.Built built = FunctionFolder.read(dir).build("wisp-fn/x", null, warnings::add);
        assertEquals(List.of("index.js", "node_modules/m/index.js", "same.js"), zipNames(built.exec().get("code").asText()));
        assertTrue(built.exec().get("binary").asBoolean());
        assertEquals(128, built.limits().get("memory").asInt());
        assertEquals("a", built.params().get(0).get("key").asText());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("skipped leak: a link to outside the folder")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("skipped up: a link to outside the folder")), warnings.toString());
    }

    @Test
    void aHugeFileStopsThePacking() throws IOException {
        Path dir = folder("{\"kind\": \"python:3.11\"}");
        Files.writeString(dir.resolve("__main__.py"), "def main(a): return a");
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("big.bin").toFile(), "rw")) {
            f.setLength(FolderFiles.MAX_FILE + 1); // sparse: no disk used
        }
        FolderException e = assertThrows(FolderException.class,
                () -> FunctionFolder.read(dir).build("wisp-fn/x", null, w -> { }));
        assertTrue(e.getMessage().contains("big.bin: 48 MB, more than the 48 MB a file"), e.getMessage());
    }

    @Test
    void aBadFolderNamesTheFileAndTheProblem() throws IOException {
        assertTrue(message(null).contains("wisp.json: missing"));
        assertTrue(message("{\"kind\": ").contains("wisp.json: not valid JSON"));
        assertTrue(message("{\"kind\": \"nodejs:20\", \"extra\": 1}").contains("wisp.json: unknown key 'extra'"));
        assertTrue(message("{\"kind\": \"cobol\"}").contains("unknown kind 'cobol'"));
        assertTrue(message("{\"kind\": \"nodejs:20\", \"limits\": {\"memory\": -1}}").contains("limits.memory"));
        assertTrue(message("{\"kind\": \"python:3.11\"}").contains("__main__.py: missing"));
        assertTrue(message("{\"kind\": \"java:17\"}").contains("a Java folder needs \"main\""));
        assertTrue(message("{\"kind\": \"blackbox\"}").contains("no Dockerfile and no executable file"));
    }

    private String message(String metadata) throws IOException {
        Path dir = folder(metadata);
        FolderException e = assertThrows(FolderException.class,
                () -> FunctionFolder.read(dir).build("wisp-fn/x", null, w -> { }));
        assertTrue(e.badFolder());
        assertFalse(e.getMessage().isBlank());
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        return e.getMessage();
    }
}
