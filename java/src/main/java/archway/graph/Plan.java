package archway.graph;

import archway.bindings.cpu.ElementwiseKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A graph planned once for one mode and one gradient target: the forward steps, the backward steps
 * that only compute what the target needs, and the arena placement of every intermediate. Running a
 * plan walks its steps; nothing is allocated per run.
 */
public final class Plan implements AutoCloseable {
    private final Graph graph;
    private final Workspace workspace;
    private final Set<ValueKind> wrt;
    private final List<Schedule.Spec> specs;
    private final int forwardCount;
    private final MemoryPlanner.Placement placement;
    private final Arena planArena = Arena.ofShared();
    private final Map<Value, MemorySegment> dedicated = new java.util.HashMap<>();
    private Step[] steps;
    private int boundGeneration = -1;
    private long forwardNanos, backwardNanos;
    /** Per-step nanoseconds when profiling (system property archway.plan.profile=true), else null. */
    private long[] stepNanos;
    static final boolean PROFILE = Boolean.getBoolean("archway.plan.profile");

    private Plan(Graph graph, Workspace workspace, Schedule s) {
        this.graph = graph;
        this.workspace = workspace;
        this.wrt = s.wrt();
        this.specs = List.copyOf(s.specs);
        int f = 0;
        while (f < specs.size() && specs.get(f).phase() == Phase.FORWARD) {
            f++;
        }
        this.forwardCount = f;
        this.placement = MemoryPlanner.place(specs, s.kept);
        for (Value v : graph.values()) {
            if (v.kind == ValueKind.INPUT || v.kind == ValueKind.LABELS) {
                dedicated.put(v, planArena.allocate(v.size * 4, 64));
            }
        }
        graph.params().allocate();
    }

    /**
     * Plans {@code graph}: forward in {@code mode}; if {@code wrt} is not empty, backward from
     * {@code lossOp} producing gradients for exactly those leaf kinds (WEIGHT and/or MIX).
     * {@code keep} lists values that must stay readable after the run (e.g. logits, the loss).
     */
    public static Plan build(Graph graph, Workspace workspace, Mode mode, Op lossOp, Set<ValueKind> wrt, Value... keep) {
        for (ValueKind k : wrt) {
            if (k != ValueKind.WEIGHT && k != ValueKind.MIX) {
                throw new IllegalArgumentException("gradients can be taken w.r.t. WEIGHT and MIX only, not " + k);
            }
        }
        Schedule s = new Schedule(graph, mode, wrt);
        s.emitForward();
        for (Value v : keep) {
            s.keep(v);
        }
        if (!wrt.isEmpty()) {
            if (lossOp == null) {
                throw new IllegalArgumentException("a backward plan needs a loss op");
            }
            s.emitBackward(lossOp);
            s.rematerialise();
        }
        return new Plan(graph, workspace, s);
    }

    private void bindIfStale() {
        if (boundGeneration == workspace.generation() && steps != null && workspace.bytes() >= placement.bytes()) {
            return;
        }
        MemorySegment arena = workspace.ensure(placement.bytes());
        ParamStore params = graph.params();
        Buffers b = new Buffers() {
            @Override
            public MemorySegment seg(Value v) {
                return resolve(v, arena, params);
            }

            @Override
            public Arena planArena() {
                return planArena;
            }

            @Override
            public ParamStore params() {
                return params;
            }
        };
        Step[] out = new Step[specs.size()];
        for (int i = 0; i < out.length; i++) {
            Schedule.Spec sp = specs.get(i);
            Step step = sp.factory().create(sp.remap().isEmpty() ? b : remapped(b, sp.remap()));
            out[i] = sp.guard() < 0 ? step : guarded(step, params, sp.guard());
            if (PROFILE) {
                if (stepNanos == null) {
                    stepNanos = new long[specs.size()];
                }
                Step inner = out[i];
                long[] acc = stepNanos;
                int idx = i;
                out[i] = () -> {
                    long t0 = System.nanoTime();
                    inner.run();
                    acc[idx] += System.nanoTime() - t0;
                };
            }
        }
        steps = out;
        boundGeneration = workspace.generation();
    }

    private static Buffers remapped(Buffers b, Map<Value, Value> remap) {
        return new Buffers() {
            @Override
            public MemorySegment seg(Value v) {
                return b.seg(remap.getOrDefault(v, v));
            }

            @Override
            public Arena planArena() {
                return b.planArena();
            }

            @Override
            public ParamStore params() {
                return b.params();
            }
        };
    }

    private static Step guarded(Step inner, ParamStore params, long index) {
        return () -> {
            if (params.mixAt(index) != 0f) {
                inner.run();
            }
        };
    }

    private MemorySegment resolve(Value v, MemorySegment arena, ParamStore params) {
        return switch (v.kind) {
            case INPUT, LABELS -> dedicated.get(v);
            case WEIGHT, STATE, MIX -> params.slice(v.entry);
            case GRAD -> switch (v.gradOf.kind) {
                case WEIGHT, MIX -> params.gradSlice(v.gradOf.entry);
                default -> arenaSlice(v, arena);
            };
            case ACTIVATION, AUX -> arenaSlice(v, arena);
        };
    }

    private MemorySegment arenaSlice(Value v, MemorySegment arena) {
        Long off = placement.offsets().get(v);
        if (off == null) {
            throw new IllegalStateException("value " + v + " is used by a step but was never placed");
        }
        return arena.asSlice(off, v.size * Float.BYTES);
    }

    /** Runs the forward steps. */
    public void forward() {
        bindIfStale();
        long t0 = System.nanoTime();
        for (int i = 0; i < forwardCount; i++) {
            steps[i].run();
        }
        forwardNanos += System.nanoTime() - t0;
    }

    /** Zeroes the target gradients, then runs the backward steps (after {@link #forward}). */
    public void backward() {
        if (wrt.isEmpty()) {
            throw new IllegalStateException("this plan has no backward (forward-only)");
        }
        bindIfStale();
        long t0 = System.nanoTime();
        ParamStore p = graph.params();
        if (wrt.contains(ValueKind.WEIGHT)) {
            ElementwiseKernels.fill(p.weightGrads(), p.flatLength(ValueKind.WEIGHT), 0f);
        }
        if (wrt.contains(ValueKind.MIX)) {
            ElementwiseKernels.fill(p.mixGrads(), p.flatLength(ValueKind.MIX), 0f);
        }
        for (int i = forwardCount; i < steps.length; i++) {
            steps[i].run();
        }
        backwardNanos += System.nanoTime() - t0;
    }

    /** The input (images) buffer of the value, to be filled before {@link #forward}. */
    public MemorySegment input(Value v) {
        MemorySegment s = dedicated.get(v);
        if (s == null) {
            throw new IllegalArgumentException(v + " is not an input of this plan");
        }
        return s;
    }

    /** A value's memory (valid after a run for kept values, inputs, parameters). */
    public MemorySegment segment(Value v) {
        bindIfStale();
        return resolve(v, workspace.segment(), graph.params());
    }

    public float scalar(Value v) {
        return segment(v).get(ValueLayout.JAVA_FLOAT, 0);
    }

    public int intScalar(Value v) {
        return segment(v).get(ValueLayout.JAVA_INT, 0);
    }

    /** Bytes of arena this plan needs after liveness sharing. */
    public long arenaBytes() { return placement.bytes(); }

    /** Bytes the same intermediates would take without sharing. */
    public long unsharedBytes() { return placement.naiveBytes(); }

    public int stepCount() { return specs.size(); }

    public int forwardStepCount() { return forwardCount; }

    /** Labels of the steps in order (for tests and --explain). */
    public List<String> stepLabels() {
        List<String> out = new ArrayList<>();
        for (Schedule.Spec s : specs) {
            out.add(s.phase() + " " + s.label() + (s.guard() >= 0 ? " [guard " + s.guard() + "]" : ""));
        }
        return out;
    }

    /** Accumulated nanoseconds spent in forward and backward since the last reset. */
    public long forwardNanos() { return forwardNanos; }

    public long backwardNanos() { return backwardNanos; }

    public void resetTimers() {
        forwardNanos = 0;
        backwardNanos = 0;
        if (stepNanos != null) {
            java.util.Arrays.fill(stepNanos, 0);
        }
    }

    /**
     * Per-step time since the last reset, summed by step kind (phase + label with digits removed, so
     * every cell's and edge's instance of an op shares one entry). Empty unless the JVM runs with
     * {@code -Darchway.plan.profile=true}.
     */
    public Map<String, Long> profileNanos() {
        Map<String, Long> out = new java.util.TreeMap<>();
        if (stepNanos == null) {
            return out;
        }
        for (int i = 0; i < specs.size(); i++) {
            Schedule.Spec sp = specs.get(i);
            String key = sp.phase() + " " + sp.label().replaceAll("[0-9]+", "");
            out.merge(key, stepNanos[i], Long::sum);
        }
        return out;
    }

    public Graph graph() { return graph; }

    @Override
    public void close() {
        planArena.close();
    }
}
