package archway.nn;

import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.ParamStore;
import archway.graph.Plan;
import archway.graph.Value;
import archway.graph.ValueKind;
import archway.graph.Workspace;
import archway.graph.ops.SoftmaxCrossEntropyOp;
import archway.runtime.Backend;
import archway.runtime.Backends;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A network with its parameters and its planned passes. Each (batch, mode, gradient target) is traced
 * and planned once on first use; all passes share the parameter store and one activation workspace.
 */
public final class Network implements AutoCloseable {
    private final NetworkBuilder builder;
    private final int channels, height, width;
    private final ParamStore params;
    private final Workspace workspace;
    private final Map<String, Pass> passes = new HashMap<>();
    private boolean sparseMix;
    private long macsPerSample = -1;

    /** A network on the default backend ({@link Backends#standard()}). */
    public Network(NetworkBuilder builder, int channels, int height, int width, long seed) {
        this(Backends.standard(), builder, channels, height, width, seed);
    }

    /** A network whose parameters, workspace and passes live on {@code backend}. */
    public Network(Backend backend, NetworkBuilder builder, int channels, int height, int width, long seed) {
        this.builder = builder;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.params = new ParamStore(backend, seed);
        this.workspace = new Workspace(backend);
    }

    /** Declares that mixing weights can be exactly zero (sparsemax); must precede the first pass. */
    public Network sparseMix(boolean on) {
        if (!passes.isEmpty() && on != sparseMix) {
            throw new IllegalStateException("sparseMix must be set before the first pass is planned");
        }
        this.sparseMix = on;
        return this;
    }

    /**
     * The pass for {@code batch} samples in {@code mode} computing gradients w.r.t. {@code wrt}
     * (empty: forward only).
     */
    public Pass pass(int batch, Mode mode, Set<ValueKind> wrt) {
        String key = batch + "/" + mode + "/" + new java.util.TreeSet<>(wrt);
        Pass p = passes.get(key);
        if (p == null) {
            p = trace(batch, mode, wrt);
            passes.put(key, p);
        }
        return p;
    }

    public Pass pass(int batch, Mode mode, ValueKind... wrt) {
        return pass(batch, mode, wrt.length == 0 ? EnumSet.noneOf(ValueKind.class) : EnumSet.of(wrt[0], wrt));
    }

    private Pass trace(int batch, Mode mode, Set<ValueKind> wrt) {
        Graph g = new Graph(params);
        g.sparseMix(sparseMix);
        Value x = g.input("images", batch, channels, height, width);
        Value y = g.labels(batch);
        Value logits = builder.build(g, x);
        SoftmaxCrossEntropyOp loss = SoftmaxCrossEntropyOp.apply(g, "loss", logits, y);
        Plan plan = Plan.build(g, workspace, mode, loss, wrt, logits);
        if (macsPerSample < 0) {
            macsPerSample = g.macs() / batch;
        }
        return new Pass(plan, x, y, logits, loss, batch);
    }

    /** The parameter store, allocated; traces the network once first so every parameter is registered. */
    public ParamStore params() {
        if (passes.isEmpty() && macsPerSample < 0) {
            Graph g = new Graph(params);
            Value logits = builder.build(g, g.input("images", 1, channels, height, width));
            if (logits.rank() != 2) {
                throw new IllegalStateException("network builder must return logits [N, classes], got " + logits);
            }
            macsPerSample = g.macs();
        }
        params.allocate();
        return params;
    }

    /** Forward multiply-accumulates per sample (all candidate ops of a supernet counted). */
    public long macsPerSample() {
        if (macsPerSample < 0) {
            pass(1, Mode.EVAL);
        }
        return macsPerSample;
    }

    /** The shared activation arena (tests poison it to prove skipped ops leave no trace). */
    public Workspace workspace() { return workspace; }

    /** Bytes of the shared activation arena (the largest planned pass). */
    public long workspaceBytes() { return workspace.bytes(); }

    @Override
    public void close() {
        for (Pass p : passes.values()) {
            p.plan().close();
        }
        workspace.close();
        params.close();
    }
}
