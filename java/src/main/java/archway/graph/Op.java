package archway.graph;

/**
 * A node of the traced graph. An op emits its forward steps and, when asked, the backward steps that
 * turn its output gradient into the gradients of those inputs that need one; it never computes a
 * gradient nobody reads (see {@link Schedule#needsGrad}).
 */
public abstract class Op {
    protected final String name;
    protected final Value[] inputs;
    protected final Value output;
    /** Index into the flat mix buffer whose exact zero skips this op, or -1 (never skipped). */
    int guard = -1;

    protected Op(String name, Value output, Value... inputs) {
        this.name = name;
        this.output = output;
        this.inputs = inputs.clone();
    }

    public String name() { return name; }

    public Value output() { return output; }

    public Value input(int i) { return inputs[i]; }

    /** Emits the forward steps into the schedule. */
    protected abstract void forward(Schedule s, Mode mode);

    /** Emits the backward steps; called only when the output's gradient exists. */
    protected abstract void backward(Schedule s);

    /**
     * Whether this op can apply, itself, a training batch norm that produces one of its inputs (a sum:
     * {@link Schedule#batchNormFusedIntoSum}).
     */
    protected boolean appliesBatchNormsOfInputs() { return false; }

    /** Whether this op is a batch norm whose normalisation a consumer may apply instead. */
    protected boolean isFoldableBatchNorm() { return false; }

    /** Multiply-accumulates of one forward pass (0 for cheap elementwise ops). */
    public long macs() { return 0; }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + name + ")";
    }
}
