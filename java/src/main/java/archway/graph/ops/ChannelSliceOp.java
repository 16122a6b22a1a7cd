package archway.graph.ops;

import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.Schedule;
import archway.graph.Value;
import archway.runtime.KernelCall;

/** y = channels [from, from + count) of an NCHW input (the partial-channel split of PC-DARTS). */
public final class ChannelSliceOp extends Op {
    private final Value x;
    private final int from;

    private ChannelSliceOp(String name, Value x, Value y, int from) {
        super(name, y, x);
        this.x = x;
        this.from = from;
    }

    public static Value apply(Graph g, String name, Value x, int from, int count) {
        if (x.rank() != 4 || from < 0 || count < 1 || from + count > x.c()) {
            throw new IllegalArgumentException("slice " + name + ": channels [" + from + ", " + (from + count)
                    + ") out of range for " + x);
        }
        Value y = g.activation(name, x.n(), count, x.h(), x.w());
        g.add(new ChannelSliceOp(name, x, y, from));
        return y;
    }

    @Override
    protected void forward(Schedule s, Mode mode) {
        int n = x.n(), c = x.c(), hw = x.hw(), count = output.c();
        s.step("slice " + name, new Value[] {x}, new Value[] {output},
                new KernelCall.ChannelCopy(x, output, n, c, from, count, 0, count, hw, false));
    }

    @Override
    protected void backward(Schedule s) {
        if (!s.needsGrad(x)) {
            return;
        }
        Value dy = s.grad(output), dx = s.grad(x);
        boolean acc = s.accumulate(dx);
        int n = x.n(), c = x.c(), hw = x.hw(), count = output.c();
        Value[] reads = {dy}, writes = {dx};
        if (acc) {
            s.step("slice bwd " + name, reads, writes,
                    new KernelCall.ChannelCopy(dy, dx, n, count, 0, c, from, count, hw, true));
        } else {
            // First writer of dx: the channels outside the slice get zero gradient from this op.
            s.step("slice bwd " + name, reads, writes, new KernelCall.Fill(dx, x.size(), 0f),
                    new KernelCall.ChannelCopy(dy, dx, n, count, 0, c, from, count, hw, false));
        }
    }
}
