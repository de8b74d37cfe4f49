package smoke;

import com.google.gson.JsonObject;

public class Smoke {
    public static JsonObject main(JsonObject args) {
        System.out.println("smoke");
        JsonObject result = new JsonObject();
        result.addProperty("greeting", "hello " + args.get("name").getAsString());
        return result;
    }
}
