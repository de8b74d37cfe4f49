package com.example;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The test action: what it does depends on args.mode. Compiled for Java 8 by the test. */
public class Hello {
    private static final AtomicInteger CALLS = new AtomicInteger();

    public static JsonObject main(JsonObject args) throws Exception {
        String mode = args.has("mode") ? args.get("mode").getAsString() : "hello";
        JsonObject result = new JsonObject();
        switch (mode) {
            case "hello":
                String name = args.has("name") ? args.get("name").getAsString() : "stranger";
                System.out.println("hello " + name);
                result.addProperty("greeting", "Hello " + name);
                return result;
            case "error":
                result.addProperty("error", "application error");
                return result;
            case "throw":
                throw new IllegalStateException("boom");
            case "null":
                return null;
            case "interleave":
                return interleave(args.get("name").getAsString(), args.get("delay").getAsLong());
            case "lines":
                int n = args.get("n").getAsInt();
                for (int i = 0; i < n; i++) {
                    System.out.println(args.has("text") ? args.get("text").getAsString() : String.format("line-%04d", i));
                }
                result.addProperty("printed", n);
                return result;
            case "env":
                for (String key : new String[] {"__OW_ACTIVATION_ID", "__OW_NAMESPACE", "__OW_DEADLINE",
                        "__OW_API_KEY", "MY_SETTING", "MY_OBJ"}) {
                    result.addProperty(key, System.getenv(key));
                }
                result.addProperty("inMap", System.getenv().get("__OW_ACTIVATION_ID"));
                return result;
            case "probe":
                return probe(args);
            default:
                result.addProperty("unknown", mode);
                return result;
        }
    }

    private static JsonObject interleave(String name, long delay) throws InterruptedException {
        System.out.println("start " + name);
        Thread.sleep(delay);
        System.err.println("middle " + name);
        Thread thread = new Thread(() -> System.out.println("in thread " + name));
        thread.start();
        thread.join();
        Thread.sleep(delay);
        System.out.print("end ");
        System.out.println(name);
        JsonObject result = new JsonObject();
        result.addProperty("name", name);
        result.addProperty("id", System.getenv("__OW_ACTIVATION_ID"));
        return result;
    }

    /** Counts its calls; what of the token and of __OW_* System.getenv() and a ProcessBuilder's environment hold. */
    private static JsonObject probe(JsonObject args) {
        String token = args.has("token") ? args.get("token").getAsString() : "\0";
        boolean seen = false;
        JsonArray names = new JsonArray();
        JsonArray ow = new JsonArray();
        for (Map.Entry<String, String> e : new TreeMap<>(System.getenv()).entrySet()) {
            seen |= e.getValue().contains(token);
            if (e.getKey().startsWith("WISP_RUNTIME")) {
                names.add(e.getKey());
            }
            if (e.getKey().startsWith("__OW_")) {
                ow.add(e.getKey());
            }
        }
        JsonObject result = new JsonObject();
        result.addProperty("calls", CALLS.incrementAndGet());
        result.addProperty("token", System.getenv("WISP_RUNTIME_TOKEN"));
        result.addProperty("seen", seen);
        result.add("names", names);
        result.addProperty("childEnv", new ProcessBuilder().environment().containsKey("WISP_RUNTIME_TOKEN"));
        result.add("ow", ow);
        result.addProperty("key", System.getenv("__OW_API_KEY"));
        return result;
    }

    public static JsonObject handle(JsonObject args) {
        JsonObject result = new JsonObject();
        JsonElement v = args.get("v");
        result.addProperty("handled", v == null ? 0 : v.getAsInt() + 1);
        return result;
    }

    public JsonObject notStatic(JsonObject args) {
        return args;
    }
}
