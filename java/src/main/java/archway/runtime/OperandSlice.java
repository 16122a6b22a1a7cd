package archway.runtime;

/** Elements [offset, offset + size) of another operand (a mixing-weight row, one sample of a batch). */
public record OperandSlice(Operand base, long offset, long size) implements Operand {
    public OperandSlice {
        if (offset < 0 || size < 1 || offset + size > base.size()) {
            throw new IllegalArgumentException("slice [" + offset + ", " + (offset + size) + ") out of " + base.name()
                    + " (" + base.size() + " elements)");
        }
    }

    @Override
    public String name() {
        return base.name() + "[" + offset + ":" + (offset + size) + "]";
    }
}
