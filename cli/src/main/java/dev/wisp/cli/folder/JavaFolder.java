package dev.wisp.cli.folder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** A Java function folder as a jar: its one prebuilt {@code .jar}, or its {@code .java} files compiled. */
final class JavaFolder {
    private JavaFolder() {
    }

    static String jar(Path dir, List<FolderFiles.Entry> files, String main, Consumer<String> progress) {
        List<FolderFiles.Entry> sources = files.stream().filter(f -> f.name().endsWith(".java")).toList();
        List<FolderFiles.Entry> jars = files.stream().filter(f -> f.name().endsWith(".jar")).toList();
        if (sources.isEmpty()) {
            if (jars.size() != 1) {
                throw FolderException.bad(dir, jars.isEmpty() ? "no .java files and no .jar: nothing to run"
                        : "no .java files and " + jars.size() + " jars; a Java folder without sources needs one jar");
            }
            progress.accept("using " + jars.get(0).name() + " as the action's jar");
            try {
                return Base64.getEncoder().encodeToString(Files.readAllBytes(jars.get(0).source()));
            } catch (IOException e) {
                throw FolderException.bad(jars.get(0).source(), "cannot read it (" + e.getMessage() + ")");
            }
        }
        Path classes = null;
        try {
            classes = Files.createTempDirectory("wisp-classes-");
            Packer.compile(dir, sources, jars.stream().map(FolderFiles.Entry::source).toList(), classes, progress);
            List<FolderFiles.Entry> resources = files.stream()
                    .filter(f -> !f.name().endsWith(".java") && !f.name().endsWith(".jar")).toList();
            progress.accept("packing the classes of " + dir + " as a jar (Main-Class " + main.split("#")[0] + ")");
            return Packer.jar(dir, classes, resources, main);
        } catch (IOException e) {
            throw FolderException.failed("compiling " + dir + " failed: " + e.getMessage());
        } finally {
            if (classes != null) {
                try (Stream<Path> walk = Files.walk(classes)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    // a temporary directory left behind is harmless
                }
            }
        }
    }
}
