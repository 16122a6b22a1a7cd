package archway.runtime;

/**
 * Where the layer above keeps each operand: the plan maps activations to arena slices, weights to
 * spans of the flat parameter buffers, inputs to their staging buffers. A backend asks once per
 * operand when it binds a kernel call, never while a step runs.
 */
@FunctionalInterface
public interface Resolver {
    /** The operand's memory (a buffer of this backend, at least {@code o.size()} elements). */
    Buffer buffer(Operand o);
}
