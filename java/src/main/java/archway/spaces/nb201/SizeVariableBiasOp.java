package archway.spaces.nb201;

import archway.bindings.cpu.ElementwiseKernels;
import archway.graph.Graph;
import archway.graph.Init;
import archway.graph.Mode;
import archway.graph.Op;
import archway.graph.Schedule;
import archway.graph.Value;
import java.lang.foreign.MemorySegment;

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
        s.step("bias " + name, new Value[] {x, bias}, new Value[] {output, ones, expanded}, b -> {
            MemorySegment xs = b.seg(x), bs = b.seg(bias), ys = b.seg(output), os = b.seg(ones), es = b.seg(expanded);
            return () -> {
                ElementwiseKernels.fill(os, size, 1f);
                for (int i = 0; i < n; i++) {
                    ElementwiseKernels.copy(bs, es.asSlice((long) i * c * Float.BYTES), c);
                }
                ElementwiseKernels.channelScaleFwd(os, es, ys, n, c, hw);
                ElementwiseKernels.axpy(1f, xs, ys, size);
            };
        });
    }

    @Override
    protected void backward(Schedule s) {
        int n = x.n(), c = x.c(), hw = x.h() * x.w();
        long size = x.size();
        Value dy = s.grad(output);
        if (s.needsGrad(x)) {
            Value dx = s.grad(x);
            boolean acc = s.accumulate(dx);
            s.step("bias dx " + name, new Value[] {dy}, new Value[] {dx}, b -> {
                MemorySegment dys = b.seg(dy), dxs = b.seg(dx);
                return acc ? () -> ElementwiseKernels.axpy(1f, dys, dxs, size) : () -> ElementwiseKernels.copy(dys, dxs, size);
            });
        }
        if (s.needsGrad(bias)) {
            Value db = s.grad(bias);
            s.accumulate(db);
            s.step("bias db " + name, new Value[] {dy}, new Value[] {db, onesBwd, dExpanded}, b -> {
                MemorySegment dys = b.seg(dy), dbs = b.seg(db), os = b.seg(onesBwd), des = b.seg(dExpanded);
                return () -> {
                    ElementwiseKernels.fill(os, size, 1f);
                    ElementwiseKernels.channelScaleBwd(os, MemorySegment.NULL, dys, MemorySegment.NULL, des, n, c, hw,
                            false);
                    for (int i = 0; i < n; i++) {
                        ElementwiseKernels.axpy(1f, des.asSlice((long) i * c * Float.BYTES), dbs, c);
                    }
                };
            });
        }
    }
}
