package archway.graph.ops;

import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.Schedule;
import archway.graph.Value;
import archway.runtime.KernelCall;

/**
 * y[n, out] = x[n, in] weight^T + bias; {@code bias} may be null (no bias). An NCHW input is read flattened
 * (in = C*H*W), so an exit head needs no separate flatten op.
 */
public final class LinearOp extends Op {
    private final Value x, weight, bias;

    private LinearOp(String name, Value x, Value weight, Value bias, Value y) {
        super(name, y, bias == null ? new Value[] {x, weight} : new Value[] {x, weight, bias});
        this.x = x;
        this.weight = weight;
        this.bias = bias;
    }

    public static Value apply(Graph g, String name, Value x, Value weight, Value bias) {
        if ((x.rank() != 2 && x.rank() != 4) || weight.dim(1) != features(x)) {
            throw new IllegalArgumentException("linear " + name + ": input " + x + " incompatible with " + weight);
        }
        Value y = g.activation(name, x.n(), weight.dim(0));
        g.add(new LinearOp(name, x, weight, bias, y));
        return y;
    }

    @Override
    protected void forward(Schedule s, Mode mode) {
        int n = x.n(), in = features(x), out = output.c();
        s.step("linear " + name, new Value[] {x}, new Value[] {output},
                new KernelCall.LinearFwd(x, weight, bias, output, n, in, out));
    }

    @Override
    protected void backward(Schedule s) {
        boolean wantDx = s.needsGrad(x), wantW = s.needsGrad(weight);
        if (!wantDx && !wantW) {
            return;
        }
        Value dy = s.grad(output);
        Value dx = wantDx ? s.grad(x) : null;
        boolean accDx = wantDx && s.accumulate(dx);
        Value dw = wantW ? s.grad(weight) : null, db = wantW && bias != null ? s.grad(bias) : null;
        boolean accP = wantW && s.accumulate(dw) & (db == null || s.accumulate(db));
        int n = x.n(), in = features(x), out = output.c();
        java.util.List<Value> w = new java.util.ArrayList<>(3);
        if (wantDx) {
            w.add(dx);
        }
        if (wantW) {
            w.add(dw);
            if (db != null) {
                w.add(db);
            }
        }
        Value[] writes = w.toArray(Value[]::new);
        s.step("linear bwd " + name, new Value[] {x, dy}, writes,
                new KernelCall.LinearBwd(x, weight, dy, dx, dw, db, n, in, out, accDx, accP));
    }

    @Override
    public long macs() {
        return (long) x.n() * features(x) * output.c();
    }

    /** Input features per sample: an NCHW input is read flattened (C*H*W, the memory order), as PyTorch's flatten. */
    private static int features(Value x) {
        return Math.toIntExact(x.size() / x.n());
    }
}
