package archway.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A traced network of static shapes: values and ops in topological (trace) order. Builders in
 * {@code archway.nn} add ops; {@link Plan#build} turns a graph into a runnable schedule.
 */
public final class Graph {
    private final ParamStore params;
    private final List<Value> values = new ArrayList<>();
    private final List<Op> ops = new ArrayList<>();
    private final Map<ParamStore.Entry, Value> paramValues = new IdentityHashMap<>();
    private int guard = -1;
    /** True when some mixing weight can be exactly zero (sparsemax): mixed-op gradients then zero-fill. */
    private boolean sparseMix;

    public Graph(ParamStore params) {
        this.params = params;
    }

    public ParamStore params() { return params; }

    public Value input(String name, int... shape) {
        return add(new Value(values.size(), name, shape, ValueKind.INPUT, null, null));
    }

    public Value labels(int n) {
        return add(new Value(values.size(), "labels", new int[] {n}, ValueKind.LABELS, null, null));
    }

    /** The graph's value for a store entry (one per entry per graph). */
    public Value param(ParamStore.Entry e) {
        return paramValues.computeIfAbsent(e, k -> add(new Value(values.size(), k.name, k.shape, k.kind, null, k)));
    }

    /** A new intermediate result. */
    public Value activation(String name, int... shape) {
        return add(new Value(values.size(), name, shape, ValueKind.ACTIVATION, null, null));
    }

    /** A new per-op saved tensor. */
    public Value aux(String name, int... shape) {
        return add(new Value(values.size(), name, shape, ValueKind.AUX, null, null));
    }

    Value gradOf(Value v) {
        return add(new Value(values.size(), "d" + v.name, v.shape, ValueKind.GRAD, v, null));
    }

    private Value add(Value v) {
        values.add(v);
        return v;
    }

    /** Appends an op; it inherits the current guard. */
    public <T extends Op> T add(T op) {
        op.guard = guard;
        ops.add(op);
        return op;
    }

    /**
     * Ops added until {@link #clearGuard} are skipped (forward and backward) whenever the mixing weight
     * at {@code mixIndex} (absolute index into the flat mix buffer) is exactly zero.
     */
    public void guard(long mixIndex) {
        this.guard = Math.toIntExact(mixIndex);
    }

    public void clearGuard() {
        this.guard = -1;
    }

    public void sparseMix(boolean on) {
        this.sparseMix = on;
    }

    public boolean sparseMix() { return sparseMix; }

    public List<Op> ops() { return Collections.unmodifiableList(ops); }

    List<Value> values() { return values; }

    /** Multiply-accumulates of one forward pass over all ops (guards ignored). */
    public long macs() {
        return ops.stream().mapToLong(Op::macs).sum();
    }
}
