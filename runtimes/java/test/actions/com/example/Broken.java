package com.example;

import com.google.gson.JsonObject;

/** A class whose static initializer throws: loading it fails at /init. */
public class Broken {
    static final int VALUE = Integer.parseInt("not a number");

    public static JsonObject main(JsonObject args) {
        return args;
    }
}
