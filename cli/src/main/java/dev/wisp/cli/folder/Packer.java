package dev.wisp.cli.folder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Packs a folder's files as its kind's runtime takes them: a zip (Node.js, Python) or a jar (Java), base64. */
final class Packer {
    /** The largest code an action may have, base64 included (the API's default limit). */
    static final long MAX_CODE = 48L * 1024 * 1024;

    private Packer() {
    }

    static String zip(Path folder, List<FolderFiles.Entry> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (FolderFiles.Entry e : entries) {
                add(zip, new ZipEntry(e.name()), e.source());
            }
        } catch (IOException e) {
            throw FolderException.failed("packing " + folder + " failed: " + e.getMessage());
        }
        return base64(folder, bytes);
    }

    /** A jar of the compiled classes and the folder's other files; {@code main} becomes its Main-Class. */
    static String jar(Path folder, Path classes, List<FolderFiles.Entry> resources, String main) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        manifest.getMainAttributes().putValue("Main-Class", main.split("#")[0]);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest); Stream<Path> walk = Files.walk(classes)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                add(jar, new ZipEntry(classes.relativize(p).toString().replace('\\', '/')), p);
            }
            for (FolderFiles.Entry e : resources) {
                add(jar, new ZipEntry(e.name()), e.source());
            }
        } catch (IOException e) {
            throw FolderException.failed("packing " + folder + " as a jar failed: " + e.getMessage());
        }
        return base64(folder, bytes);
    }

    private static void add(ZipOutputStream zip, ZipEntry entry, Path source) throws IOException {
        zip.putNextEntry(entry);
        try (var in = Files.newInputStream(source)) {
            in.transferTo(zip);
        }
        zip.closeEntry();
    }

    private static String base64(Path folder, ByteArrayOutputStream bytes) {
        long encoded = (bytes.size() + 2L) / 3 * 4;
        if (encoded > MAX_CODE) {
            throw FolderException.bad(folder, "packed, it is " + FolderFiles.mb(encoded) + " of code (base64), more"
                    + " than the " + FolderFiles.mb(MAX_CODE) + " an action may have; leave out what it does not"
                    + " need, or build an image (a Dockerfile)");
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /**
     * Compiles the folder's {@code .java} files for Java 17 (the Java runtime's) into {@code out}, against its
     * {@code .jar} files and Gson (which the runtime provides), found in the local Maven caches.
     */
    static void compile(Path folder, List<FolderFiles.Entry> sources, List<Path> jars, Path out,
                        Consumer<String> progress) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw FolderException.failed("compiling " + folder + " needs a JDK (javac); this Java has none");
        }
        List<Path> classpath = new ArrayList<>(jars);
        gson().ifPresent(classpath::add);
        List<String> args = new ArrayList<>(List.of("--release", "17", "-nowarn", "-d", out.toString(),
                "-encoding", "UTF-8"));
        if (!classpath.isEmpty()) {
            args.add("-cp");
            args.add(String.join(java.io.File.pathSeparator, classpath.stream().map(Path::toString).toList()));
        }
        sources.forEach(s -> args.add(s.source().toString()));
        progress.accept("compiling " + sources.size() + " Java source file(s) for Java 17 ...");
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = javac.run(null, OutputStream.nullOutputStream(), errors, args.toArray(String[]::new));
        if (rc != 0) {
            throw FolderException.bad(folder, "the Java sources do not compile:\n"
                    + errors.toString(StandardCharsets.UTF_8).strip());
        }
    }

    /** Gson from the Maven caches Wisp's build and runtimes use, if there. */
    private static java.util.Optional<Path> gson() {
        String home = System.getenv().getOrDefault("WISP_HOME", System.getProperty("user.home") + "/.wisp");
        for (Path repo : List.of(Path.of(home, "cache/maven"), Path.of(System.getProperty("user.home"), ".m2/repository"))) {
            Path dir = repo.resolve("com/google/code/gson/gson");
            if (Files.isDirectory(dir)) {
                try (Stream<Path> walk = Files.walk(dir, 2)) {
                    var found = walk.filter(p -> p.getFileName().toString().matches("gson-[0-9.]+\\.jar"))
                            .max(Path::compareTo);
                    if (found.isPresent()) {
                        return found;
                    }
                } catch (IOException e) {
                    // not there: compiling without Gson works for actions that do not use it
                }
            }
        }
        return java.util.Optional.empty();
    }
}
