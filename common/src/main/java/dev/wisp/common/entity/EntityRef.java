package dev.wisp.common.entity;

/**
 * A reference to an entity as OpenWhisk prints it inside rules and triggers: {@code {"path": "ns" or "ns/pkg",
 * "name": "..."}}.
 */
public record EntityRef(String path, String name) {
    public EntityRef {
        Fields.required("path, name", path, name);
    }

    public static EntityRef of(EntityPath p) {
        return new EntityRef(p.parent(), p.name());
    }

    /** The entity path this reference names. */
    public EntityPath toPath() {
        int slash = path.indexOf('/');
        return slash < 0 ? EntityPath.of(path, name)
                : new EntityPath(path.substring(0, slash), path.substring(slash + 1), name);
    }

    /** The fully qualified name, {@code ns/name} or {@code ns/pkg/name}. */
    public String qualified() {
        return path + "/" + name;
    }
}
