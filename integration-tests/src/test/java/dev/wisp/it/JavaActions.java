package dev.wisp.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Builds Java actions the way users do: a class with {@code main(JsonObject)}, compiled and packed as a jar. */
final class JavaActions {
    private JavaActions() {
    }

    /** The base64 jar of one class {@code Action} whose {@code main} has the given body. */
    static String jar(String mainBody) {
        String source = """
                import com.google.gson.JsonObject;
                public class Action {
                    public static JsonObject main(JsonObject args) throws Exception {
                        JsonObject out = new JsonObject();
                        %s
                    }
                }
                """.formatted(mainBody);
        Map<String, ByteArrayOutputStream> classes = compile("Action", source);
        ByteArrayOutputStream jar = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(jar)) {
            for (Map.Entry<String, ByteArrayOutputStream> e : classes.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey().replace('.', '/') + ".class"));
                out.write(e.getValue().toByteArray());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(jar.toByteArray());
    }

    private static Map<String, ByteArrayOutputStream> compile(String name, String source) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        Map<String, ByteArrayOutputStream> out = new HashMap<>();
        StandardJavaFileManager standard = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8);
        JavaFileManager files = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                                       FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className + ".class"), kind) {
                    @Override
                    public java.io.OutputStream openOutputStream() {
                        return out.computeIfAbsent(className, k -> new ByteArrayOutputStream());
                    }
                };
            }
        };
        JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        List<String> options = new ArrayList<>(List.of("--release", "17", "-cp", System.getProperty("java.class.path")));
        StringBuilder errors = new StringBuilder();
        boolean ok = compiler.getTask(null, files, d -> errors.append(d).append('\n'), options, null, List.of(unit)).call();
        if (!ok) {
            throw new IllegalStateException("could not compile the test action:\n" + errors);
        }
        return out;
    }
}
