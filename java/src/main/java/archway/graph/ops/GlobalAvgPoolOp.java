package archway.graph.ops;

import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.Schedule;
import archway.graph.Value;
import archway.runtime.KernelCall;

/** [N, C, H, W] -> [N, C]: mean over the spatial positions. */
public final class GlobalAvgPoolOp extends Op {
    private final Value x;

    private GlobalAvgPoolOp(String name, Value x, Value y) {
        super(name, y, x);
        this.x = x;
    }

    public static Value apply(Graph g, String name, Value x) {
        Value y = g.activation(name, x.n(), x.c());
        g.add(new GlobalAvgPoolOp(name, x, y));
        return y;
    }

    @Override
    protected void forward(Schedule s, Mode mode) {
        int n = x.n(), c = x.c(), hw = x.hw();
        s.step("gap " + name, new Value[] {x}, new Value[] {output}, new KernelCall.GlobalAvgPoolFwd(x, output, n, c, hw));
    }

    @Override
    protected void backward(Schedule s) {
        if (!s.needsGrad(x)) {
            return;
        }
        Value dy = s.grad(output), dx = s.grad(x);
        boolean acc = s.accumulate(dx);
        int n = x.n(), c = x.c(), hw = x.hw();
        s.step("gap bwd " + name, new Value[] {dy}, new Value[] {dx},
                new KernelCall.GlobalAvgPoolBwd(dy, dx, n, c, hw, acc));
    }
}
