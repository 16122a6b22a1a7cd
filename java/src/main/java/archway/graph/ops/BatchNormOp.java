package archway.graph.ops;

import archway.bindings.cpu.BatchNormDesc;
import archway.bindings.cpu.BatchNormKernels;
import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.ParamStore;
import archway.graph.Schedule;
import archway.graph.Value;
import java.lang.foreign.MemorySegment;

/**
 * Batch normalisation over (N, H, W) per channel; affine or not, with running statistics in the
 * model's state buffer. TRAIN plans use batch statistics; EVAL plans the running ones.
 */
public final class BatchNormOp extends Op {
    private final Value x, gamma, beta, runningMean, runningVar, saveMean, saveInvstd;

    private BatchNormOp(String name, Value x, Value y, Value gamma, Value beta, Value runningMean, Value runningVar,
                        Value saveMean, Value saveInvstd) {
        super(name, y, x, gamma, beta);
        this.x = x;
        this.gamma = gamma;
        this.beta = beta;
        this.runningMean = runningMean;
        this.runningVar = runningVar;
        this.saveMean = saveMean;
        this.saveInvstd = saveInvstd;
    }

    /** Traces batch norm; registers gamma/beta (when affine) and running stats under {@code name}. */
    public static Value apply(Graph g, String name, Value x, boolean affine) {
        ParamStore p = g.params();
        int c = x.c();
        Value gamma = affine ? g.param(p.weight(name + ".gamma", new int[] {c}, new archway.graph.Init.Constant(1f))) : null;
        Value beta = affine ? g.param(p.weight(name + ".beta", new int[] {c}, new archway.graph.Init.Constant(0f))) : null;
        Value rm = g.param(p.state(name + ".running_mean", new int[] {c}, 0f));
        Value rv = g.param(p.state(name + ".running_var", new int[] {c}, 1f));
        Value y = g.activation(name, x.shape());
        Value sm = g.aux(name + ".save_mean", c);
        Value si = g.aux(name + ".save_invstd", c);
        g.add(new BatchNormOp(name, x, y, gamma, beta, rm, rv, sm, si));
        return y;
    }

    private static MemorySegment segOrNull(archway.graph.Buffers b, Value v) {
        return v == null ? MemorySegment.NULL : b.seg(v);
    }

    @Override
    protected void forward(Schedule s, Mode mode) {
        if (mode == Mode.TRAIN) {
            s.step("bn " + name, new Value[] {x}, new Value[] {output, saveMean, saveInvstd}, b -> {
                BatchNormDesc d = BatchNormDesc.of(b.planArena(), x.n(), x.c(), x.hw());
                MemorySegment xs = b.seg(x), ys = b.seg(output), g = segOrNull(b, gamma), be = segOrNull(b, beta);
                MemorySegment sm = b.seg(saveMean), si = b.seg(saveInvstd), rm = b.seg(runningMean), rv = b.seg(runningVar);
                return () -> BatchNormKernels.bnFwdTrain(d, xs, g, be, ys, sm, si, rm, rv);
            });
            // The output is recomputable bit-exactly from x by the same kernel without the statistics
            // side effects (it recomputes the batch mean / variance in the same order).
            s.rematerialisable(output, new Value[] {x}, b -> {
                BatchNormDesc d = BatchNormDesc.of(b.planArena(), x.n(), x.c(), x.hw());
                MemorySegment xs = b.seg(x), ys = b.seg(output), g = segOrNull(b, gamma), be = segOrNull(b, beta);
                return () -> BatchNormKernels.bnFwdTrain(d, xs, g, be, ys, MemorySegment.NULL, MemorySegment.NULL,
                        MemorySegment.NULL, MemorySegment.NULL);
            });
        } else {
            s.step("bn-eval " + name, new Value[] {x}, new Value[] {output}, b -> {
                BatchNormDesc d = BatchNormDesc.of(b.planArena(), x.n(), x.c(), x.hw());
                MemorySegment xs = b.seg(x), ys = b.seg(output), g = segOrNull(b, gamma), be = segOrNull(b, beta);
                MemorySegment rm = b.seg(runningMean), rv = b.seg(runningVar);
                return () -> BatchNormKernels.bnFwdEval(d, xs, g, be, rm, rv, ys);
            });
        }
    }

    @Override
    protected void backward(Schedule s) {
        if (s.mode() != Mode.TRAIN) {
            throw new IllegalStateException("batch norm backward needs a TRAIN plan");
        }
        Value dy = s.grad(output);
        boolean wantDx = s.needsGrad(x);
        boolean wantParams = gamma != null && s.needsGrad(gamma);
        if (!wantDx && !wantParams) {
            return;
        }
        Value dx = wantDx ? s.grad(x) : null;
        boolean accDx = wantDx && s.accumulate(dx);
        Value dg = wantParams ? s.grad(gamma) : null, db = wantParams ? s.grad(beta) : null;
        boolean accP = wantParams && s.accumulate(dg) & s.accumulate(db);
        Value[] writes = wantDx ? (wantParams ? new Value[] {dx, dg, db} : new Value[] {dx})
                : new Value[] {dg, db};
        s.step("bn bwd " + name, new Value[] {x, dy, saveMean, saveInvstd}, writes, b -> {
            BatchNormDesc d = BatchNormDesc.of(b.planArena(), x.n(), x.c(), x.hw());
            MemorySegment xs = b.seg(x), dys = b.seg(dy), g = segOrNull(b, gamma), sm = b.seg(saveMean),
                    si = b.seg(saveInvstd), dxs = segOrNull(b, dx), dgs = segOrNull(b, dg), dbs = segOrNull(b, db);
            return () -> BatchNormKernels.bnBwd(d, xs, dys, g, sm, si, dxs, dgs, dbs, accDx, accP);
        });
    }
}
