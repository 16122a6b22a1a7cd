package archway.graph.ops;

import archway.graph.Graph;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.Schedule;
import archway.graph.Value;
import archway.runtime.KernelCall;

/**
 * Channel shuffle with {@code groups} groups (ShuffleNet; PC-DARTS mixes its processed and bypassed
 * channels with it): output channel i*groups+g is input channel g*(C/groups)+i. Backward applies the
 * inverse permutation.
 */
public final class ChannelShuffleOp extends Op {
    private final Value x;
    private final int groups;

    private ChannelShuffleOp(String name, Value x, Value y, int groups) {
        super(name, y, x);
        this.x = x;
        this.groups = groups;
    }

    public static Value apply(Graph g, String name, Value x, int groups) {
        if (x.rank() != 4 || groups < 1 || x.c() % groups != 0) {
            throw new IllegalArgumentException("shuffle " + name + ": " + x + " channels not divisible by " + groups);
        }
        Value y = g.activation(name, x.shape());
        g.add(new ChannelShuffleOp(name, x, y, groups));
        return y;
    }

    @Override
    protected void forward(Schedule s, Mode mode) {
        int n = x.n(), c = x.c(), hw = x.hw();
        s.step("shuffle " + name, new Value[] {x}, new Value[] {output},
                new KernelCall.ChannelShuffle(x, output, n, c, hw, groups, false, false));
    }

    @Override
    protected void backward(Schedule s) {
        if (!s.needsGrad(x)) {
            return;
        }
        Value dy = s.grad(output), dx = s.grad(x);
        boolean acc = s.accumulate(dx);
        int n = x.n(), c = x.c(), hw = x.hw();
        s.step("shuffle bwd " + name, new Value[] {dy}, new Value[] {dx},
                new KernelCall.ChannelShuffle(dy, dx, n, c, hw, groups, true, acc));
    }
}
