package dev.wisp.runtime;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.jar.JarFile;

/**
 * An action loaded from a jar with its own class loader (parent: the runtime's, so the action and the runtime
 * share one Gson). Its entry point is {@code public static JsonObject <method>(JsonObject)}, named by
 * {@code main} as {@code com.example.Hello} (method {@code main}) or {@code com.example.Hello#handle}.
 */
final class JarAction {
    private final ClassLoader loader;
    private final Method method;

    private JarAction(ClassLoader loader, Method method) {
        this.loader = loader;
        this.method = method;
    }

    /** Thrown for action code that cannot be used; the message is for the action's developer. */
    static final class InitException extends Exception {
        private static final long serialVersionUID = 1L;

        InitException(String message) {
            super(message);
        }
    }

    static JarAction load(String base64, String main, Path workRoot) throws InitException, IOException {
        byte[] jar;
        try {
            jar = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new InitException("The action code is not base64: " + e.getMessage());
        }
        if (jar.length < 4 || jar[0] != 'P' || jar[1] != 'K') {
            throw new InitException("The action code is not a jar (a base64 zip with the action's classes).");
        }
        Path dir = Files.createTempDirectory(workRoot, "wisp-action-");
        Path file = dir.resolve("action.jar");
        Files.write(file, jar);
        String entry = main == null || main.isBlank() || "main".equals(main) ? manifestMainClass(file) : main;
        if (entry == null) {
            throw new InitException("Missing \"main\": name the action's class, e.g. com.example.Hello or "
                    + "com.example.Hello#handle (or set Main-Class in the jar's manifest).");
        }
        int hash = entry.indexOf('#');
        String className = hash < 0 ? entry : entry.substring(0, hash);
        String methodName = hash < 0 ? "main" : entry.substring(hash + 1);
        URLClassLoader loader = new URLClassLoader(new URL[] {file.toUri().toURL()},
                JarAction.class.getClassLoader());
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            Class<?> type = Class.forName(className, true, loader);
            return new JarAction(loader, find(type, methodName));
        } catch (ClassNotFoundException e) {
            throw new InitException("Class '" + className + "' was not found in the jar.");
        } catch (ExceptionInInitializerError e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            cause.printStackTrace();
            throw new InitException("The class '" + className + "' failed to initialize: " + cause);
        } catch (LinkageError e) {
            throw new InitException("The class '" + className + "' cannot be loaded: " + e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private static String manifestMainClass(Path file) throws IOException {
        try (JarFile jar = new JarFile(file.toFile())) {
            var manifest = jar.getManifest();
            return manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
        }
    }

    private static Method find(Class<?> type, String name) throws InitException {
        Method method;
        try {
            method = type.getMethod(name, JsonObject.class);
        } catch (NoSuchMethodException e) {
            throw new InitException("Method '" + name + "' not found in class '" + type.getName()
                    + "': declare public static com.google.gson.JsonObject " + name
                    + "(com.google.gson.JsonObject args).");
        }
        if (!Modifier.isStatic(method.getModifiers())) {
            throw new InitException("Method '" + name + "' of class '" + type.getName() + "' must be static.");
        }
        if (!JsonElement.class.isAssignableFrom(method.getReturnType())) {
            throw new InitException("Method '" + name + "' of class '" + type.getName()
                    + "' must return com.google.gson.JsonObject.");
        }
        try {
            method.setAccessible(true); // a public method of a class that is not public
        } catch (RuntimeException e) {
            // the call fails later with a clear IllegalAccessException
        }
        return method;
    }

    /** Calls the action; a throw from the action comes out as the action's own exception. */
    JsonElement invoke(JsonObject args) throws Throwable {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return (JsonElement) method.invoke(null, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
