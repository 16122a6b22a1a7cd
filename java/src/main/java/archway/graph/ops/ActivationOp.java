package archway.graph.ops;

import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.Schedule;
import archway.graph.Value;
import archway.runtime.Activation;
import archway.runtime.KernelCall;

/** Elementwise activation (ReLU, sigmoid, h-swish, h-sigmoid); backward reads the input. */
public final class ActivationOp extends Op {
    private final Activation kind;
    private final Value x;

    private ActivationOp(String name, Activation kind, Value x, Value y) {
        super(name, y, x);
        this.kind = kind;
        this.x = x;
    }

    public static Value apply(Graph g, String name, Activation kind, Value x) {
        Value y = g.activation(name, x.shape());
        g.add(new ActivationOp(name, kind, x, y));
        return y;
    }

    @Override
    protected void forward(Schedule s, Mode mode) {
        KernelCall f = new KernelCall.ActivationFwd(kind, x, output);
        s.step(kind + " " + name, new Value[] {x}, new Value[] {output}, f);
        // Elementwise and exact: recompute in backward rather than keep (e.g. a convolution's input
        // for its weight gradient).
        s.rematerialisable(output, new Value[] {x}, f);
    }

    @Override
    protected void backward(Schedule s) {
        if (!s.needsGrad(x)) {
            return;
        }
        Value dy = s.grad(output), dx = s.grad(x);
        boolean acc = s.accumulate(dx);
        s.step(kind + " bwd " + name, new Value[] {x, dy}, new Value[] {dx},
                new KernelCall.ActivationBwd(kind, x, dy, dx, acc));
    }
}
