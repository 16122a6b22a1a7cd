package archway.graph.ops;

import archway.bindings.cpu.LinearKernels;
import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.Schedule;
import archway.graph.Value;
import java.lang.foreign.MemorySegment;

/** y[n, out] = x[n, in] weight^T + bias. */
public final class LinearOp extends Op {
    private final Value x, weight, bias;

    private LinearOp(String name, Value x, Value weight, Value bias, Value y) {
        super(name, y, x, weight, bias);
        this.x = x;
        this.weight = weight;
        this.bias = bias;
    }

    public static Value apply(Graph g, String name, Value x, Value weight, Value bias) {
        if (x.rank() != 2 || weight.dim(1) != x.c()) {
            throw new IllegalArgumentException("linear " + name + ": input " + x + " incompatible with " + weight);
        }
        Value y = g.activation(name, x.n(), weight.dim(0));
        g.add(new LinearOp(name, x, weight, bias, y));
        return y;
    }

    @Override
    protected void forward(Schedule s, Mode mode) {
        int n = x.n(), in = x.c(), out = output.c();
        s.step("linear " + name, new Value[] {x}, new Value[] {output}, b -> {
            MemorySegment xs = b.seg(x), ws = b.seg(weight), bs = b.seg(bias), ys = b.seg(output);
            return () -> LinearKernels.linearFwd(xs, ws, bs, ys, n, in, out);
        });
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
        Value dw = wantW ? s.grad(weight) : null, db = wantW ? s.grad(bias) : null;
        boolean accP = wantW && s.accumulate(dw) & s.accumulate(db);
        int n = x.n(), in = x.c(), out = output.c();
        Value[] writes = wantDx ? (wantW ? new Value[] {dx, dw, db} : new Value[] {dx}) : new Value[] {dw, db};
        s.step("linear bwd " + name, new Value[] {x, dy}, writes, b -> {
            MemorySegment xs = b.seg(x), ws = b.seg(weight), dys = b.seg(dy);
            MemorySegment dxs = dx == null ? MemorySegment.NULL : b.seg(dx);
            MemorySegment dws = dw == null ? MemorySegment.NULL : b.seg(dw);
            MemorySegment dbs = db == null ? MemorySegment.NULL : b.seg(db);
            return () -> LinearKernels.linearBwd(xs, ws, dys, dxs, dws, dbs, n, in, out, accDx, accP);
        });
    }

    @Override
    public long macs() {
        return (long) x.n() * x.c() * output.c();
    }
}
