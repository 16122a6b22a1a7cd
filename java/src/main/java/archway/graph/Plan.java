package archway.graph;

import archway.runtime.Backend;
import archway.runtime.Binder;
import archway.runtime.BoundStep;
import archway.runtime.Buffer;
import archway.runtime.BufferArena;
import archway.runtime.Executor;
import archway.runtime.KernelCall;
import archway.runtime.Resolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A graph planned once for one mode and one gradient target: the forward steps, the backward steps
 * that only compute what the target needs, and the arena placement of every intermediate. Binding
 * hands every step's kernel calls to the backend once; running a plan is the {@link Executor} walking
 * the bound list. Nothing is allocated per run.
 */
public final class Plan implements AutoCloseable {
    private final Graph graph;
    private final Workspace workspace;
    private final Backend backend;
    private final Set<ValueKind> wrt;
    private final List<Schedule.Spec> specs;
    private final int forwardCount;
    private final MemoryPlanner.Placement placement;
    private final BufferArena planArena;
    private final Binder binder;
    private final Map<Value, Buffer> dedicated = new java.util.HashMap<>();
    private Executor executor;
    /** Per bound step: the spec it came from (for profiles). */
    private int[] specOf;
    /** Bound steps [0, forwardBound) are the forward ones. */
    private int forwardBound;
    private int boundGeneration = -1;
    private long forwardNanos, backwardNanos;
    static final boolean PROFILE = Boolean.getBoolean("archway.plan.profile");
    /** With {@code -Darchway.plan.profile.each=true} the profile keeps every op instance apart. */
    static final boolean PROFILE_EACH = Boolean.getBoolean("archway.plan.profile.each");

    private Plan(Graph graph, Workspace workspace, Schedule s) {
        this.graph = graph;
        this.workspace = workspace;
        this.backend = graph.params().backend();
        if (workspace.backend() != backend) {
            throw new IllegalArgumentException("workspace on " + workspace.backend().name() + " but parameters on "
                    + backend.name());
        }
        this.wrt = s.wrt();
        this.specs = List.copyOf(s.specs);
        int f = 0;
        while (f < specs.size() && specs.get(f).phase() == Phase.FORWARD) {
            f++;
        }
        this.forwardCount = f;
        this.placement = MemoryPlanner.place(specs, s.kept);
        this.planArena = backend.arena();
        this.binder = backend.binder();
        for (Value v : graph.values()) {
            if (v.kind == ValueKind.INPUT || v.kind == ValueKind.LABELS) {
                dedicated.put(v, planArena.allocate(v.size));
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
        Schedule s = new Schedule(graph, mode, wrt, graph.params().backend().fusesBatchNormIntoSums());
        for (Value v : keep) {
            s.keep(v);
        }
        s.emitForward();
        boolean siblings = graph.params().backend().fusesSiblingConvolutions() && SiblingConvolutions.enabled();
        if (!wrt.isEmpty()) {
            if (lossOp == null) {
                throw new IllegalArgumentException("a backward plan needs a loss op");
            }
            s.emitBackward(lossOp);
        }
        if (siblings) {
            SiblingConvolutions.merge(s.specs);
        }
        if (!wrt.isEmpty()) {
            s.rematerialise();
        }
        return new Plan(graph, workspace, s);
    }

    /** Binds every step's kernel calls into one flat list (again when the workspace moved). */
    private void bindIfStale() {
        if (boundGeneration == workspace.generation() && executor != null && workspace.bytes() >= placement.bytes()) {
            return;
        }
        Buffer arena = workspace.ensure(placement.bytes());
        ParamStore params = graph.params();
        Resolver plain = o -> {
            if (!(o instanceof Value v)) {
                throw new IllegalArgumentException("kernel call operand " + o.name() + " is not a value of this graph");
            }
            return resolve(v, arena, params);
        };
        List<BoundStep> bound = new ArrayList<>();
        List<Long> guards = new ArrayList<>();
        List<Integer> origin = new ArrayList<>();
        int fwd = 0;
        for (int i = 0; i < specs.size(); i++) {
            Schedule.Spec sp = specs.get(i);
            Resolver r = sp.remap().isEmpty() ? plain : remapped(plain, sp.remap());
            for (KernelCall call : sp.calls()) {
                bound.add(binder.bind(call, r));
                guards.add((long) sp.guard());
                origin.add(i);
            }
            if (i == forwardCount - 1) {
                fwd = bound.size();
            }
        }
        long[] g = new long[guards.size()];
        specOf = new int[origin.size()];
        for (int i = 0; i < g.length; i++) {
            g[i] = guards.get(i);
            specOf[i] = origin.get(i);
        }
        forwardBound = fwd;
        if (executor != null) {
            executor.close();  // bound to the old workspace: its device graphs are stale
        }
        executor = backend.executor(bound.toArray(new BoundStep[0]), g, params.mix(), PROFILE);
        boundGeneration = workspace.generation();
    }

    private static Resolver remapped(Resolver r, Map<Value, Value> remap) {
        return o -> r.buffer(o instanceof Value v ? remap.getOrDefault(v, v) : o);
    }

    private Buffer resolve(Value v, Buffer arena, ParamStore params) {
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

    private Buffer arenaSlice(Value v, Buffer arena) {
        Long off = placement.offsets().get(v);
        if (off == null) {
            throw new IllegalStateException("value " + v + " is used by a step but was never placed");
        }
        return arena.slice(off / Float.BYTES, v.size);
    }

    /** Runs the forward steps. */
    public void forward() {
        bindIfStale();
        long t0 = System.nanoTime();
        executor.run(0, forwardBound);
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
            backend.flat().fill(p.weightGrads(), p.flatLength(ValueKind.WEIGHT), 0f);
        }
        if (wrt.contains(ValueKind.MIX)) {
            backend.flat().fill(p.mixGrads(), p.flatLength(ValueKind.MIX), 0f);
        }
        executor.run(forwardBound, executor.size());
        backwardNanos += System.nanoTime() - t0;
    }

    /** The input (images) buffer of the value, to be filled before {@link #forward}. */
    public Buffer input(Value v) {
        Buffer s = dedicated.get(v);
        if (s == null) {
            throw new IllegalArgumentException(v + " is not an input of this plan");
        }
        return s;
    }

    /** A value's memory (valid after a run for kept values, inputs, parameters). */
    public Buffer buffer(Value v) {
        bindIfStale();
        return resolve(v, workspace.buffer(), graph.params());
    }

    /** Reads a scalar value back to the host. */
    public float scalar(Value v) {
        return buffer(v).get(0);
    }

    /** Reads an int32 scalar value back to the host. */
    public int intScalar(Value v) {
        return buffer(v).getInt(0);
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
        if (executor != null) {
            executor.resetTimers();
        }
    }

    /** Kernel names of the bound steps in run order (binds first; for tests and debugging). */
    public List<String> boundKernels() {
        bindIfStale();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < executor.size(); i++) {
            out.add(executor.step(i).kernel());
        }
        return out;
    }

    /**
     * Per-step time since the last reset, summed by step kind (phase + label with digits removed, so
     * every cell's and edge's instance of an op shares one entry; kept apart with
     * {@code -Darchway.plan.profile.each=true}). Empty unless the JVM runs with
     * {@code -Darchway.plan.profile=true}.
     */
    public Map<String, Long> profileNanos() {
        Map<String, Long> out = new java.util.TreeMap<>();
        long[] nanos = executor == null ? null : executor.stepNanos();
        if (nanos == null) {
            return out;
        }
        for (int i = 0; i < nanos.length; i++) {
            Schedule.Spec sp = specs.get(specOf[i]);
            String key = sp.phase() + " " + (PROFILE_EACH ? sp.label() : sp.label().replaceAll("[0-9]+", ""));
            out.merge(key, nanos[i], Long::sum);
        }
        return out;
    }

    public Graph graph() { return graph; }

    @Override
    public void close() {
        if (executor != null) {
            executor.close();
            executor = null;
        }
        binder.close();
        planArena.close();
    }
}
