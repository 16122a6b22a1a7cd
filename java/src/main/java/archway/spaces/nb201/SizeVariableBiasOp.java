package archway.spaces.nb201;

import archway.graph.Graph;
import archway.graph.Init;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.Schedule;
import archway.graph.Value;
import archway.runtime.KernelCall;
import archway.runtime.Operand;

/**
 * y[n, c, hw] = x[n, c, hw] + b[c]: the per-channel bias of the derived size-variable network's convolutions,
 * which makes each conv op hold exactly (k^2 C + 1) C parameters, the count the ZO-DARTS++ expected-size
 * formula assumes. Broadcasting goes through the channel-scale kernel on a ones tensor: b is replicated
 * per sample into [N, C], scaled onto the ones, and x is added; db is the channel-scale kernel's ds
 * summed over samples.
 */
public final class SizeVariableBiasOp extends Op {
    private final Value x, bias, ones, expanded, onesBwd, dExpanded;

    private SizeVariableBiasOp(String name, Value y, Value x, Value bias, Value ones, Value expanded, Value onesBwd,
                               Value dExpanded) {
        super(name, y, x, bias);
        this.x = x;
        this.bias = bias;
        this.ones = ones;
        this.expanded = expanded;
        this.onesBwd = onesBwd;
        this.dExpanded = dExpanded;
    }

    /** Registers {@code name.bias} [C] (zero-initialised) and adds it to x [N, C, H, W]. */
    public static Value apply(Graph g, String name, Value x) {
        Value b = g.param(g.params().weight(name + ".bias", new int[] {x.c()}, new Init.Constant(0f)));
        Value y = g.activation(name, x.shape());
        g.add(new SizeVariableBiasOp(name, y, x, b, g.aux(name + ".ones", x.shape()), g.aux(name + ".bexp", x.n(), x.c()),
                g.aux(name + ".ones_bwd", x.shape()), g.aux(name + ".dbexp", x.n(), x.c())));
        return y;
    }

    @Override
    protected void forward(Schedule s, Mode mode) {
        int n = x.n(), c = x.c(), hw = x.h() * x.w();
        long size = x.size();
        KernelCall[] calls = new KernelCall[n + 3];
        calls[0] = new KernelCall.Fill(ones, size, 1f);
        for (int i = 0; i < n; i++) {
            calls[1 + i] = new KernelCall.Copy(bias, Operand.slice(expanded, (long) i * c, c), c);
        }
        calls[n + 1] = new KernelCall.ChannelScaleFwd(ones, expanded, output, n, c, hw);
        calls[n + 2] = new KernelCall.Axpy(1f, x, output, size);
        s.step("bias " + name, new Value[] {x, bias}, new Value[] {output, ones, expanded}, calls);
    }

    @Override
    protected void backward(Schedule s) {
        int n = x.n(), c = x.c(), hw = x.h() * x.w();
        long size = x.size();
        Value dy = s.grad(output);
        if (s.needsGrad(x)) {
            Value dx = s.grad(x);
            boolean acc = s.accumulate(dx);
            s.step("bias dx " + name, new Value[] {dy}, new Value[] {dx},
                    acc ? new KernelCall.Axpy(1f, dy, dx, size) : new KernelCall.Copy(dy, dx, size));
        }
        if (s.needsGrad(bias)) {
            Value db = s.grad(bias);
            s.accumulate(db);
            KernelCall[] calls = new KernelCall[n + 2];
            calls[0] = new KernelCall.Fill(onesBwd, size, 1f);
            calls[1] = new KernelCall.ChannelScaleBwd(onesBwd, null, dy, null, dExpanded, n, c, hw, false);
            for (int i = 0; i < n; i++) {
                calls[2 + i] = new KernelCall.Axpy(1f, Operand.slice(dExpanded, (long) i * c, c), db, c);
            }
            s.step("bias db " + name, new Value[] {dy}, new Value[] {db, onesBwd, dExpanded}, calls);
        }
    }
}
