package archway.graph.ops;

import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.Schedule;
import archway.graph.Value;
import archway.runtime.KernelCall;
import archway.runtime.PoolKind;
import archway.runtime.PoolShape;

/** Average or max pooling with a square window. Average pooling can exclude padding from the count. */
public final class Pool2dOp extends Op {
    /** Which reduction the window applies. */
    public enum Kind { AVG, MAX }

    private final Kind kind;
    private final Value x;
    private final int kernel, stride, pad;
    private final boolean countIncludePad;

    private Pool2dOp(String name, Kind kind, Value x, Value y, int kernel, int stride, int pad, boolean countIncludePad) {
        super(name, y, x);
        this.kind = kind;
        this.x = x;
        this.kernel = kernel;
        this.stride = stride;
        this.pad = pad;
        this.countIncludePad = countIncludePad;
    }

    public static Value apply(Graph g, String name, Kind kind, Value x, int kernel, int stride, int pad,
                              boolean countIncludePad) {
        int oh = (x.h() + 2 * pad - kernel) / stride + 1;
        int ow = (x.w() + 2 * pad - kernel) / stride + 1;
        Value y = g.activation(name, x.n(), x.c(), oh, ow);
        g.add(new Pool2dOp(name, kind, x, y, kernel, stride, pad, countIncludePad));
        return y;
    }

    private PoolShape shape() {
        return new PoolShape(x.n(), x.c(), x.h(), x.w(), kernel, stride, pad, countIncludePad);
    }

    private PoolKind pool() {
        return kind == Kind.AVG ? PoolKind.AVG : PoolKind.MAX;
    }

    @Override
    protected void forward(Schedule s, Mode mode) {
        KernelCall f = new KernelCall.Pool2dFwd(pool(), shape(), x, output);
        s.step(kind + "pool " + name, new Value[] {x}, new Value[] {output}, f);
        // Recomputing reads the whole input: worth it where the output is as large (stride 1, the cells'
        // 3x3 pool), not for a strided pool whose output is a quarter of what it would read again (the
        // reductions' 2x2 / 2 pool: 0.8 MiB kept at 28 px, batch 64, against ~0.3 ms a step).
        if (stride == 1) {
            s.rematerialisable(output, new Value[] {x}, f);
        }
    }

    @Override
    protected void backward(Schedule s) {
        if (!s.needsGrad(x)) {
            return;
        }
        Value dy = s.grad(output), dx = s.grad(x);
        boolean acc = s.accumulate(dx);
        Value[] reads = kind == Kind.AVG ? new Value[] {dy} : new Value[] {x, dy};
        s.step(kind + "pool bwd " + name, reads, new Value[] {dx},
                new KernelCall.Pool2dBwd(pool(), shape(), kind == Kind.MAX ? x : null, dy, dx, acc));
    }

    @Override
    public long macs() {
        return output.size() * kernel * kernel;
    }
}
