package archway.graph.ops;

import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.ParamStore;
import archway.graph.Schedule;
import archway.graph.Value;
import archway.runtime.BatchNormShape;
import archway.runtime.KernelCall;

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

    /** Its kernels' shape (also the shape of a sum that applies it). */
    BatchNormShape shape() {
        return new BatchNormShape(x.n(), x.c(), x.hw());
    }

    @Override
    protected boolean isFoldableBatchNorm() { return true; }

    /** Its statistics and parameters as a term of the sum that applies it (see Schedule#batchNormFusedIntoSum). */
    KernelCall.BatchNormAddTerm sumTerm() {
        return new KernelCall.BatchNormAddTerm(x, saveMean, saveInvstd, gamma, beta);
    }

    /** What that term reads: x and the saved statistics. */
    Value[] sumTermReads() {
        return new Value[] {x, saveMean, saveInvstd};
    }

    @Override
    protected void forward(Schedule s, Mode mode) {
        if (mode == Mode.TRAIN && s.batchNormFusedIntoSum(output) == this) {
            // Statistics only: the sum reading y applies them (KernelCall.BatchNormAdd); y is never written.
            s.step("bn stats " + name, new Value[] {x}, new Value[] {saveMean, saveInvstd},
                    new KernelCall.BatchNormFwdTrain(shape(), x, gamma, beta, null, saveMean, saveInvstd, runningMean,
                            runningVar));
            return;
        }
        if (mode == Mode.TRAIN) {
            s.step("bn " + name, new Value[] {x}, new Value[] {output, saveMean, saveInvstd},
                    new KernelCall.BatchNormFwdTrain(shape(), x, gamma, beta, output, saveMean, saveInvstd, runningMean,
                            runningVar));
            // The output is recomputable bit-exactly from x and the saved statistics (which backward
            // reads anyway), without a second statistics pass.
            s.rematerialisable(output, new Value[] {x, saveMean, saveInvstd},
                    new KernelCall.BatchNormFwdSaved(shape(), x, gamma, beta, saveMean, saveInvstd, output));
        } else {
            s.step("bn-eval " + name, new Value[] {x}, new Value[] {output},
                    new KernelCall.BatchNormFwdEval(shape(), x, gamma, beta, runningMean, runningVar, output));
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
        s.step("bn bwd " + name, new Value[] {x, dy, saveMean, saveInvstd}, writes,
                new KernelCall.BatchNormBwd(shape(), x, dy, gamma, saveMean, saveInvstd, dx, dg, db, accDx, accP));
    }
}
