package dev.wisp.common.entity;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * What an action runs: a runtime kind with code (text, or a base64 zip when {@code binary}), a Docker image
 * for {@code blackbox}, or the components of a {@code sequence}. As in OpenWhisk, a {@code family:default} kind
 * becomes the family's concrete default kind ({@link Kinds#concrete}) whenever an exec is made or read, and every
 * exec but a sequence's says whether its code is {@code binary}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Exec(String kind, String code, String image, String main, Boolean binary, List<String> components) {
    public Exec {
        Objects.requireNonNull(kind, "kind");
        kind = Kinds.concrete(kind);
        binary = Kinds.SEQUENCE.equals(kind) ? null : Boolean.valueOf(Boolean.TRUE.equals(binary));
        components = components == null ? null : List.copyOf(components);
    }

    public boolean isBinary() {
        return Boolean.TRUE.equals(binary);
    }

    /** The same exec without its code, for {@code GET ?code=false} and for listings. */
    public Exec withoutCode() {
        return new Exec(kind, null, image, main, binary, components);
    }
}
