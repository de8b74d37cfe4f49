package dev.wisp.common.entity;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A package as the API shows it and the store keeps it: a named group of actions with parameters bound for all
 * of them, or, when {@code binding} names another package, a binding to that package with its own parameters.
 * {@code publish} makes it (and its actions) readable and invokable from other namespaces.
 *
 * @param binding the package this one binds, or {@link Binding#NONE} (OpenWhisk shows {@code {}})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WhiskPackage(
        String namespace,
        String name,
        SemVer version,
        boolean publish,
        Binding binding,
        List<KeyValue> annotations,
        List<KeyValue> parameters,
        long updated) {

    public WhiskPackage {
        Fields.required("namespace, name, version", namespace, name, version);
        binding = binding == null ? Binding.NONE : binding;
        annotations = Fields.list(annotations);
        parameters = Fields.list(parameters);
    }

    /** Whether this is a binding (not named {@code isBinding}, which the codec would take for a field). */
    public boolean hasBinding() {
        return binding.isSet();
    }

    /** The package's path as the parent of its actions. */
    @JsonIgnore
    public EntityPath path() {
        return EntityPath.of(namespace, name);
    }

    /**
     * The package another one binds, {@code {namespace, name}}; both null (shown as {@code {}}) when the package
     * is not a binding.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Binding(String namespace, String name) {
        public static final Binding NONE = new Binding(null, null);

        @JsonIgnore
        public boolean isSet() {
            return namespace != null && name != null;
        }
    }
}
