package com.example;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** The test action: what it does depends on args.mode. Compiled for Java 8 by the test. */
public class Hello {
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
