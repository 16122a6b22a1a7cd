package archway.runtime;

/**
 * A tensor a kernel call reads or writes, named by the layer above (a graph {@code Value} implements
 * it). A backend never sees shapes through it: the kernel call carries its own descriptor; the
 * operand is only a handle the binding resolves to memory through a {@link Resolver}.
 */
public interface Operand {
    /** For messages and debuggers. */
    String name();

    /** Number of 4-byte elements. */
    long size();

    /** A contiguous range of {@code size} elements of {@code base} starting at element {@code offset}. */
    static Operand slice(Operand base, long offset, long size) {
        return new OperandSlice(base, offset, size);
    }
}
