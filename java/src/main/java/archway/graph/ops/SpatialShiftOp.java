package archway.graph.ops;

import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.Schedule;
import archway.graph.Value;
import archway.runtime.KernelCall;

/**
 * y[n, c, i, j] = x[n, c, i + offH, j + offW], zero where that falls outside x; same shape as x.
 * Factorized reduce uses offset (1, 1) so its second stride-2 convolution sees the odd pixels
 * (PyTorch's {@code x[:, :, 1:, 1:]}), with zero padding keeping both halves the same size for odd H, W.
 */
public final class SpatialShiftOp extends Op {
    private final Value x;
    private final int offH, offW;

    private SpatialShiftOp(String name, Value x, Value y, int offH, int offW) {
        super(name, y, x);
        this.x = x;
        this.offH = offH;
        this.offW = offW;
    }

    public static Value apply(Graph g, String name, Value x, int offH, int offW) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("shift " + name + ": needs an NCHW input, got " + x);
        }
        Value y = g.activation(name, x.shape());
        g.add(new SpatialShiftOp(name, x, y, offH, offW));
        return y;
    }

    @Override
    protected void forward(Schedule s, Mode mode) {
        int n = x.n(), c = x.c(), h = x.h(), w = x.w();
        s.step("shift " + name, new Value[] {x}, new Value[] {output},
                new KernelCall.SpatialShift(x, output, n, c, h, w, h, w, offH, offW, false, false));
    }

    @Override
    protected void backward(Schedule s) {
        if (!s.needsGrad(x)) {
            return;
        }
        Value dy = s.grad(output), dx = s.grad(x);
        boolean acc = s.accumulate(dx);
        int n = x.n(), c = x.c(), h = x.h(), w = x.w();
        s.step("shift bwd " + name, new Value[] {dy}, new Value[] {dx},
                new KernelCall.SpatialShift(dy, dx, n, c, h, w, h, w, offH, offW, true, acc));
    }
}
