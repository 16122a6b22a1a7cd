package archway.graph;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The builder ops write their steps into while a {@link Plan} is built: forward steps, then
 * reverse-mode backward steps with gradient-need analysis and first-write/accumulate bookkeeping.
 */
public final class Schedule {
    /** One step before placement: what it reads and writes (for liveness) and how to create it. */
    record Spec(Value[] reads, Value[] writes, StepFactory factory, int guard, Phase phase, String label) {
    }

    private final Graph graph;
    private final Mode mode;
    private final Set<ValueKind> wrt;
    private final boolean[] needsGrad;
    private final Map<Value, Value> grads = new HashMap<>();
    private final Set<Value> written = new java.util.HashSet<>();
    final List<Spec> specs = new ArrayList<>();
    final List<Value> kept = new ArrayList<>();
    private Op current;
    private Phase phase = Phase.FORWARD;

    Schedule(Graph graph, Mode mode, Set<ValueKind> wrt) {
        this.graph = graph;
        this.mode = mode;
        this.wrt = wrt.isEmpty() ? EnumSet.noneOf(ValueKind.class) : EnumSet.copyOf(wrt);
        List<Value> values = graph.values();
        this.needsGrad = new boolean[values.size() + 1];
        for (Value v : values) {
            if ((v.kind == ValueKind.WEIGHT || v.kind == ValueKind.MIX) && this.wrt.contains(v.kind)) {
                needsGrad[v.id] = true;
            }
        }
        // Forward propagation in trace order: an output needs a gradient iff some input does.
        for (Op op : graph.ops()) {
            for (Value in : op.inputs) {
                if (in != null && needsGrad[in.id]) {
                    needsGrad[op.output.id] = true;
                    break;
                }
            }
        }
    }

    public Mode mode() { return mode; }

    public Graph graph() { return graph; }

    /** True when a gradient of {@code v} is wanted by this plan (a wrt leaf or on a path to one). */
    public boolean needsGrad(Value v) {
        return v != null && v.id < needsGrad.length - 1 && needsGrad[v.id];
    }

    /** Adds a step of the current op (inherits its guard). */
    public void step(String label, Value[] reads, Value[] writes, StepFactory f) {
        int g = current == null ? -1 : current.guard;
        specs.add(new Spec(reads, writes, f, g, phase, label));
    }

    /** Keeps a value alive (and readable) until the end of the plan. */
    public void keep(Value v) {
        kept.add(v);
    }

    /** The gradient value of {@code v} (created on first use). */
    public Value grad(Value v) {
        return grads.computeIfAbsent(v, graph::gradOf);
    }

    /** True when the gradient of {@code v} has been written by some step already. */
    boolean gradWritten(Value v) {
        return written.contains(grad(v));
    }

    /**
     * Call once for each step that writes {@code grad}; returns whether that step must accumulate.
     * Weight and mix gradients always accumulate (the plan zeroes them before backward). The first
     * write of an activation gradient overwrites, unless the writer may be skipped at run time
     * (guarded, or a mixed op under sparse weights): then a zero-fill step goes first.
     */
    public boolean accumulate(Value grad, boolean writerMaySkip) {
        Value of = grad.gradOf;
        if (of.kind == ValueKind.WEIGHT || of.kind == ValueKind.MIX) {
            written.add(grad);
            return true;
        }
        if (written.add(grad)) {
            boolean mayBeSkipped = writerMaySkip || (current != null && current.guard >= 0);
            if (!mayBeSkipped) {
                return false;
            }
            final long n = grad.size;
            specs.add(new Spec(new Value[0], new Value[] {grad},
                    b -> {
                        var seg = b.seg(grad);
                        return () -> archway.bindings.cpu.ElementwiseKernels.fill(seg, n, 0f);
                    }, -1, phase, "zero " + grad.name));
        }
        return true;
    }

    /** Shorthand for {@link #accumulate(Value, boolean)} with a writer that is never skipped on its own. */
    public boolean accumulate(Value grad) {
        return accumulate(grad, false);
    }

    void emitForward() {
        phase = Phase.FORWARD;
        for (Op op : graph.ops()) {
            current = op;
            op.forward(this, mode);
        }
        current = null;
    }

    void emitBackward(Op lossOp) {
        phase = Phase.BACKWARD;
        List<Op> ops = graph.ops();
        for (int i = ops.size() - 1; i >= 0; i--) {
            Op op = ops.get(i);
            boolean seeded = op == lossOp;
            if (!seeded && !(needsGrad(op.output) && written.contains(grads.get(op.output)))) {
                continue;
            }
            current = op;
            op.backward(this);
        }
        current = null;
    }

    Set<ValueKind> wrt() { return wrt; }
}
