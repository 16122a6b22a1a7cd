package archway.graph;

import archway.runtime.KernelCall;
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
    /**
     * One step before placement: what it reads and writes (for liveness) and the kernel calls that do
     * it, in order. {@code remap} (usually empty) redirects values the calls name to other values when
     * they are bound (a rematerialised copy; see {@link #rematerialise}).
     */
    record Spec(Value[] reads, Value[] writes, KernelCall[] calls, int guard, Phase phase, String label,
                Map<Value, Value> remap) {
        Spec(Value[] reads, Value[] writes, KernelCall[] calls, int guard, Phase phase, String label) {
            this(reads, writes, calls, guard, phase, label, Map.of());
        }
    }

    /** How to recompute a cheap forward value from its inputs (the calls write {@code out}). */
    private record Recompute(Value out, Value[] reads, KernelCall[] calls, int guard, String label) {
    }

    /**
     * Rematerialisation (recomputing cheap activations in backward instead of keeping them), on unless
     * {@code -Darchway.plan.remat=false} (read when a plan is built, for A/B runs and tests).
     */
    private final boolean remat = !"false".equals(System.getProperty("archway.plan.remat"));

    private final Graph graph;
    private final Mode mode;
    private final Set<ValueKind> wrt;
    private final boolean[] needsGrad;
    private final Map<Value, Value> grads = new HashMap<>();
    private final Set<Value> written = new java.util.HashSet<>();
    final List<Spec> specs = new ArrayList<>();
    final List<Value> kept = new ArrayList<>();
    private final Map<Value, Recompute> recompute = new java.util.LinkedHashMap<>();
    /** How many op inputs name each value (by id): a value read once has one writer of its gradient. */
    private final int[] reads;
    private Op current;
    private Phase phase = Phase.FORWARD;
    /** Whether this plan's backend applies batch norms inside sums (see {@link #batchNormFusedIntoSum}). */
    private final boolean fuseBatchNormIntoSums;
    /** Training batch norms whose output only a sum reads, by that output (filled by emitForward). */
    private final Map<Value, Op> fusedBatchNorms = new HashMap<>();

    Schedule(Graph graph, Mode mode, Set<ValueKind> wrt) {
        this(graph, mode, wrt, false);
    }

    Schedule(Graph graph, Mode mode, Set<ValueKind> wrt, boolean fuseBatchNormIntoSums) {
        this.graph = graph;
        this.mode = mode;
        this.fuseBatchNormIntoSums = fuseBatchNormIntoSums && mode == Mode.TRAIN
                && !"false".equals(System.getProperty("archway.plan.fuse"));
        this.wrt = wrt.isEmpty() ? EnumSet.noneOf(ValueKind.class) : EnumSet.copyOf(wrt);
        List<Value> values = graph.values();
        this.needsGrad = new boolean[values.size() + 1];
        this.reads = new int[values.size() + 1];
        for (Op op : graph.ops()) {
            for (Value in : op.inputs) {
                if (in != null && in.id < reads.length) {
                    reads[in.id]++;
                }
            }
        }
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

    /** Adds a step of the current op (inherits its guard): the kernel calls run in order. */
    public void step(String label, Value[] reads, Value[] writes, KernelCall... calls) {
        if (calls.length == 0) {
            throw new IllegalArgumentException("step " + label + " has no kernel call");
        }
        int g = current == null ? -1 : current.guard;
        specs.add(new Spec(reads, writes, calls.clone(), g, phase, label));
    }

    /**
     * Declares that the forward value {@code out} can be recomputed exactly, cheaply, from {@code reads}
     * by {@code calls} (which must write {@code out} and nothing else, and have no side effects). A backward plan then recomputes it just before its first backward reader instead of
     * keeping it alive from forward to backward. Called from {@link Op#forward}.
     */
    public void rematerialisable(Value out, Value[] reads, KernelCall... calls) {
        int g = current == null ? -1 : current.guard;
        recompute.put(out, new Recompute(out, reads.clone(), calls.clone(), g, (current == null ? "" : current.name())));
    }

    /** Keeps a value alive (and readable) until the end of the plan. */
    public void keep(Value v) {
        kept.add(v);
    }

    /** The gradient value of {@code v} (created on first use). */
    public Value grad(Value v) {
        return grads.computeIfAbsent(v, graph::gradOf);
    }

    /**
     * Lets the gradient of {@code x} be the buffer {@code dy} itself, when the current op passes dy on to
     * x unchanged (a sum's backward) and nothing else can write x's gradient: x is an activation read by
     * this op alone, once, its gradient not yet made, and the op is never skipped at run time (a skipped
     * op would leave x's gradient zero, not dy). Returns false, changing nothing, otherwise. No step
     * copies dy then, and x's producer reads dy directly.
     */
    public boolean shareGrad(Value x, Value dy) {
        if (x.kind != ValueKind.ACTIVATION || x.id >= reads.length || reads[x.id] != 1 || grads.containsKey(x)
                || current == null || current.guard >= 0 || !MemoryPlanner.inArena(dy)) {
            return false;
        }
        grads.put(x, dy);
        return true;
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
            specs.add(new Spec(new Value[0], new Value[] {grad},
                    new KernelCall[] {new KernelCall.Fill(grad, grad.size, 0f)}, -1, phase, "zero " + grad.name));
        }
        return true;
    }

    /** Shorthand for {@link #accumulate(Value, boolean)} with a writer that is never skipped on its own. */
    public boolean accumulate(Value grad) {
        return accumulate(grad, false);
    }

    /**
     * The training batch norm producing {@code v} when the sum that alone reads {@code v} applies it
     * itself: the batch norm then writes only its statistics and the sum emits one
     * {@link archway.runtime.KernelCall.BatchNormAdd}, so the normalised tensor is never written or
     * stored (its gradient still flows: the sum shares dy with it, and batch norm's backward reads x, not
     * y). Null otherwise: fusion off for this backend or mode, a skippable op on either side, another
     * reader, or a value the plan must keep.
     */
    public Op batchNormFusedIntoSum(Value v) {
        return v == null ? null : fusedBatchNorms.get(v);
    }

    private void findFusedBatchNorms() {
        if (!fuseBatchNormIntoSums) {
            return;
        }
        Map<Value, Op> producer = new HashMap<>();
        for (Op op : graph.ops()) {
            producer.put(op.output, op);
        }
        for (Op op : graph.ops()) {
            if (!op.appliesBatchNormsOfInputs() || op.guard >= 0) {
                continue;
            }
            for (Value in : op.inputs) {
                Op bn = producer.get(in);
                if (bn != null && bn.isFoldableBatchNorm() && bn.guard < 0 && in.id < reads.length
                        && reads[in.id] == 1 && !kept.contains(in)) {
                    fusedBatchNorms.put(in, bn);
                }
            }
        }
    }

    void emitForward() {
        findFusedBatchNorms();
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

    /**
     * Rematerialisation pass (after {@link #emitBackward}): every declared-recomputable forward value
     * that backward steps read gets a fresh copy, recomputed right before its first backward reader;
     * those readers are redirected to the copy, so the original dies at its last forward reader.
     * Values are taken in the order backward first reads them. An input of a recomputation must be
     * alive there anyway, or already have a copy, or be recomputable itself: then it is recomputed
     * first, at the same place (a chain such as conv output -> batch norm -> activation keeps only the
     * convolution's output between forward and backward). Kept values are never recomputed, and no
     * original's lifetime grows.
     */
    void rematerialise() {
        if (!remat || recompute.isEmpty()) {
            return;
        }
        Set<Value> keptSet = new java.util.HashSet<>(kept);
        Map<Value, Integer> firstRead = new HashMap<>();
        for (Value v : recompute.keySet()) {
            int f = firstBackwardRead(v);
            if (f >= 0 && !keptSet.contains(v)) {
                firstRead.put(v, f);
            }
        }
        List<Value> order = new ArrayList<>(firstRead.keySet());
        order.sort(java.util.Comparator.comparingInt(firstRead::get));
        Map<Value, Value> copies = new HashMap<>();
        for (Value v : order) {
            if (copies.containsKey(v)) {
                continue;
            }
            int first = firstBackwardRead(v);
            if (first >= 0 && recomputableAt(v, first, keptSet, copies, new java.util.HashSet<>())) {
                recomputeAt(v, first, keptSet, copies);
            }
        }
    }

    /** Whether {@code v} can be recomputed just before step {@code at} (see {@link #rematerialise}). */
    private boolean recomputableAt(Value v, int at, Set<Value> keptSet, Map<Value, Value> copies, Set<Value> path) {
        Recompute r = recompute.get(v);
        if (r == null || keptSet.contains(v) || !path.add(v)) {
            return false;
        }
        for (Value in : r.reads()) {
            if (in == null || !MemoryPlanner.inArena(in) || keptSet.contains(in)) {
                continue;  // parameters and kept values are alive to the end
            }
            Value copy = copies.get(in);
            if (copy != null) {
                if (firstWrite(copy) >= at) {
                    return false;
                }
            } else if (lastTouch(in) < at && !recomputableAt(in, at, keptSet, copies, path)) {
                return false;
            }
        }
        path.remove(v);  // the current path only: two inputs may share a recomputable input
        return true;
    }

    /**
     * Inserts the recomputation of {@code v} (after those of any inputs that need one) before step
     * {@code at}, redirects v's readers from there on to the copy; returns the index of the step that
     * was at {@code at}.
     */
    private int recomputeAt(Value v, int at, Set<Value> keptSet, Map<Value, Value> copies) {
        Recompute r = recompute.get(v);
        for (Value in : r.reads()) {
            if (in != null && MemoryPlanner.inArena(in) && !keptSet.contains(in) && !copies.containsKey(in)
                    && lastTouch(in) < at) {
                at = recomputeAt(in, at, keptSet, copies);
            }
        }
        Value copy = graph.activation(v.name() + "'", v.shape);
        for (int t = at; t < specs.size(); t++) {
            Spec sp = specs.get(t);
            if (!contains(sp.reads(), v)) {
                continue;
            }
            Value[] reads = sp.reads().clone();
            for (int i = 0; i < reads.length; i++) {
                if (reads[i] == v) {
                    reads[i] = copy;
                }
            }
            Map<Value, Value> remap = new HashMap<>(sp.remap());
            remap.put(v, copy);
            specs.set(t, new Spec(reads, sp.writes(), sp.calls(), sp.guard(), sp.phase(), sp.label(), remap));
        }
        Value[] reads = r.reads().clone();
        Map<Value, Value> remap = new HashMap<>();
        remap.put(v, copy);
        for (int i = 0; i < reads.length; i++) {
            Value c = reads[i] == null ? null : copies.get(reads[i]);
            if (c != null) {
                remap.put(reads[i], c);
                reads[i] = c;
            }
        }
        specs.add(at, new Spec(reads, new Value[] {copy}, r.calls(), r.guard(), Phase.BACKWARD,
                "recompute " + r.label(), remap));
        copies.put(v, copy);
        return at + 1;
    }

    private int firstBackwardRead(Value v) {
        for (int t = 0; t < specs.size(); t++) {
            Spec sp = specs.get(t);
            if (sp.phase() == Phase.BACKWARD && contains(sp.reads(), v)) {
                return t;
            }
        }
        return -1;
    }

    private int firstWrite(Value v) {
        for (int t = 0; t < specs.size(); t++) {
            if (contains(specs.get(t).writes(), v)) {
                return t;
            }
        }
        return Integer.MAX_VALUE;
    }

    private int lastTouch(Value v) {
        for (int t = specs.size() - 1; t >= 0; t--) {
            Spec sp = specs.get(t);
            if (contains(sp.reads(), v) || contains(sp.writes(), v)) {
                return t;
            }
        }
        return -1;
    }

    private static boolean contains(Value[] vs, Value v) {
        for (Value x : vs) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }
}
