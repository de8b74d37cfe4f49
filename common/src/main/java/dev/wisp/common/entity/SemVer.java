package dev.wisp.common.entity;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** An entity version, bumped in its patch number on each update as OpenWhisk does. */
public record SemVer(int major, int minor, int patch) {
    public static final SemVer INITIAL = new SemVer(0, 0, 1);

    public SemVer {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("negative version part");
        }
    }

    @JsonCreator
    public static SemVer parse(String text) {
        String[] parts = text.split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a version: " + text);
        }
        return new SemVer(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    }

    public SemVer bump() {
        return new SemVer(major, minor, patch + 1);
    }

    @JsonValue
    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
