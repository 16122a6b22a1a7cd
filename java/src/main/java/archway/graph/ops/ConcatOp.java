package archway.graph.ops;

import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.Schedule;
import archway.graph.Value;
import archway.runtime.KernelCall;
import java.util.Arrays;

/**
 * y = concatenation of NCHW inputs along channels (DARTS cell outputs, factorized reduce, the
 * partial-channel edge). Backward hands each input its channel range of dy.
 */
public final class ConcatOp extends Op {
    private final int[] offsets;

    private ConcatOp(String name, Value y, int[] offsets, Value... xs) {
        super(name, y, xs);
        this.offsets = offsets;
    }

    /** Traces the concatenation; all inputs must agree in N, H and W. A single input is returned as is. */
    public static Value apply(Graph g, String name, Value... xs) {
        if (xs.length == 0) {
            throw new IllegalArgumentException("concat " + name + ": no inputs");
        }
        if (xs.length == 1) {
            return xs[0];
        }
        int[] offsets = new int[xs.length];
        int c = 0;
        for (int i = 0; i < xs.length; i++) {
            Value v = xs[i];
            if (v.rank() != 4 || v.n() != xs[0].n() || v.h() != xs[0].h() || v.w() != xs[0].w()) {
                throw new IllegalArgumentException("concat " + name + ": inputs differ in N, H or W: " + Arrays.toString(xs));
            }
            offsets[i] = c;
            c += v.c();
        }
        Value y = g.activation(name, xs[0].n(), c, xs[0].h(), xs[0].w());
        g.add(new ConcatOp(name, y, offsets, xs));
        return y;
    }

    @Override
    protected void forward(Schedule s, Mode mode) {
        int n = output.n(), c = output.c(), hw = output.hw();
        KernelCall[] copies = new KernelCall[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            copies[i] = new KernelCall.ChannelCopy(inputs[i], output, n, inputs[i].c(), 0, c, offsets[i], inputs[i].c(),
                    hw, false);
        }
        s.step("concat " + name, inputs.clone(), new Value[] {output}, copies);
    }

    @Override
    protected void backward(Schedule s) {
        Value dy = s.grad(output);
        int n = output.n(), c = output.c(), hw = output.hw();
        for (int i = 0; i < inputs.length; i++) {
            Value x = inputs[i];
            if (!s.needsGrad(x)) {
                continue;
            }
            Value dx = s.grad(x);
            boolean acc = s.accumulate(dx);
            int off = offsets[i], xc = x.c();
            s.step("concat bwd " + name, new Value[] {dy}, new Value[] {dx},
                    new KernelCall.ChannelCopy(dy, dx, n, c, off, xc, 0, xc, hw, acc));
        }
    }
}
