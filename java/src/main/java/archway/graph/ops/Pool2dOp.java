package archway.graph.ops;

import archway.bindings.cpu.Pool2dDesc;
import archway.bindings.cpu.PoolKernels;
import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.Schedule;
import archway.graph.Value;
import java.lang.foreign.MemorySegment;

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

    private Pool2dDesc desc(java.lang.foreign.Arena a) {
        return Pool2dDesc.square(a, x.n(), x.c(), x.h(), x.w(), kernel, stride, pad, countIncludePad);
    }

    @Override
    protected void forward(Schedule s, Mode mode) {
        archway.graph.StepFactory f = b -> {
            Pool2dDesc d = desc(b.planArena());
            MemorySegment xs = b.seg(x), ys = b.seg(output);
            return kind == Kind.AVG ? () -> PoolKernels.avgpool2dFwd(d, xs, ys) : () -> PoolKernels.maxpool2dFwd(d, xs, ys);
        };
        s.step(kind + "pool " + name, new Value[] {x}, new Value[] {output}, f);
        s.rematerialisable(output, new Value[] {x}, f);
    }

    @Override
    protected void backward(Schedule s) {
        if (!s.needsGrad(x)) {
            return;
        }
        Value dy = s.grad(output), dx = s.grad(x);
        boolean acc = s.accumulate(dx);
        Value[] reads = kind == Kind.AVG ? new Value[] {dy} : new Value[] {x, dy};
        s.step(kind + "pool bwd " + name, reads, new Value[] {dx}, b -> {
            Pool2dDesc d = desc(b.planArena());
            MemorySegment xs = kind == Kind.MAX ? b.seg(x) : null, dys = b.seg(dy), dxs = b.seg(dx);
            return kind == Kind.AVG ? () -> PoolKernels.avgpool2dBwd(d, dys, dxs, acc)
                    : () -> PoolKernels.maxpool2dBwd(d, xs, dys, dxs, acc);
        });
    }

    @Override
    public long macs() {
        return output.size() * kernel * kernel;
    }
}
