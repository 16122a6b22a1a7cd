package archway.graph.ops;

import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.Schedule;
import archway.graph.Value;
import archway.runtime.KernelCall;

/** y[n, c, h, w] = x[n, c, h, w] s[n, c]: the squeeze-excite channel scale. */
public final class ChannelScaleOp extends Op {
    private final Value x, scale;

    private ChannelScaleOp(String name, Value x, Value scale, Value y) {
        super(name, y, x, scale);
        this.x = x;
        this.scale = scale;
    }

    public static Value apply(Graph g, String name, Value x, Value scale) {
        if (x.rank() != 4 || scale.rank() != 2 || scale.n() != x.n() || scale.c() != x.c()) {
            throw new IllegalArgumentException("channel scale " + name + ": " + scale + " cannot scale " + x);
        }
        Value y = g.activation(name, x.shape());
        g.add(new ChannelScaleOp(name, x, scale, y));
        return y;
    }

    @Override
    protected void forward(Schedule s, Mode mode) {
        KernelCall f = new KernelCall.ChannelScaleFwd(x, scale, output, x.n(), x.c(), x.h() * x.w());
        s.step("channel scale " + name, new Value[] {x, scale}, new Value[] {output}, f);
        // One product per element, exact: the next convolution's weight gradient gets it recomputed.
        s.rematerialisable(output, new Value[] {x, scale}, f);
    }

    @Override
    protected void backward(Schedule s) {
        Value dy = s.grad(output);
        int n = x.n(), c = x.c(), hw = x.h() * x.w();
        // one call per gradient: the kernel has one accumulate flag, and the two targets may differ in it
        if (s.needsGrad(x)) {
            Value dx = s.grad(x);
            boolean acc = s.accumulate(dx);
            s.step("channel scale dx " + name, new Value[] {scale, dy}, new Value[] {dx},
                    new KernelCall.ChannelScaleBwd(x, scale, dy, dx, null, n, c, hw, acc));
        }
        if (s.needsGrad(scale)) {
            Value ds = s.grad(scale);
            boolean acc = s.accumulate(ds);
            s.step("channel scale ds " + name, new Value[] {x, dy}, new Value[] {ds},
                    new KernelCall.ChannelScaleBwd(x, scale, dy, null, ds, n, c, hw, acc));
        }
    }
}
