package dev.wisp.common.entity;

/**
 * The fully qualified name of an entity: its namespace, optionally a package, and its name. Printed the way
 * OpenWhisk prints it, {@code namespace/package/name}.
 */
public record EntityPath(String namespace, String packageName, String name) {
    public EntityPath {
        Fields.required("namespace, name", namespace, name);
    }

    public static EntityPath of(String namespace, String name) {
        return new EntityPath(namespace, null, name);
    }

    /** The path without the namespace: {@code package/name} or {@code name}. */
    public String relative() {
        return packageName == null ? name : packageName + "/" + name;
    }

    /** The namespace-relative package path, {@code namespace} or {@code namespace/package}. */
    public String parent() {
        return packageName == null ? namespace : namespace + "/" + packageName;
    }

    /** The document id of the entity in the store. */
    public String docId() {
        return namespace + "/" + relative();
    }

    @Override
    public String toString() {
        return docId();
    }
}
