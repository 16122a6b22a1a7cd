package archway.runtime.cpu;

import archway.bindings.cpu.BatchNormDesc;
import archway.bindings.cpu.BatchNormKernels;
import archway.bindings.cpu.Conv2dDesc;
import archway.bindings.cpu.MixedOpKernels;
import archway.bindings.cpu.Pool2dDesc;
import archway.runtime.Activation;
import archway.runtime.BatchNormShape;
import archway.runtime.Binder;
import archway.runtime.BoundStep;
import archway.runtime.ConvShape;
import archway.runtime.KernelCall;
import archway.runtime.Operand;
import archway.runtime.OperandSlice;
import archway.runtime.PoolKind;
import archway.runtime.PoolShape;
import archway.runtime.Resolver;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Binds kernel calls to the CPU kernels: resolves every operand to its segment and builds native
 * descriptors and pointer arrays in an arena that lives as long as the plan.
 */
final class CpuBinder implements Binder {
    private final Arena arena = Arena.ofShared();

    @Override
    public BoundStep bind(KernelCall call, Resolver r) {
        return switch (call) {
            case KernelCall.ActivationFwd c -> new CpuSteps.ActFwd(c.kernel(), act(c.act()), seg(r, c.x()),
                    seg(r, c.y()), c.x().size());
            case KernelCall.ActivationBwd c -> new CpuSteps.ActBwd(c.kernel(), act(c.act()), seg(r, c.x()),
                    seg(r, c.dy()), seg(r, c.dx()), c.x().size(), c.accumulate());
            case KernelCall.BatchNormFwdTrain c -> new CpuSteps.BnFwdTrain(bn(c.shape()), seg(r, c.x()),
                    seg(r, c.gamma()), seg(r, c.beta()), seg(r, c.y()), seg(r, c.saveMean()), seg(r, c.saveInvstd()),
                    seg(r, c.runningMean()), seg(r, c.runningVar()));
            case KernelCall.BatchNormFwdSaved c -> new CpuSteps.BnFwdSaved(bn(c.shape()), seg(r, c.x()),
                    seg(r, c.gamma()), seg(r, c.beta()), seg(r, c.saveMean()), seg(r, c.saveInvstd()), seg(r, c.y()));
            case KernelCall.BatchNormAdd c -> {
                BatchNormDesc d = bn(c.shape());
                BatchNormKernels.AddTerm[] terms = new BatchNormKernels.AddTerm[c.terms().length];
                for (int i = 0; i < terms.length; i++) {
                    KernelCall.BatchNormAddTerm t = c.terms()[i];
                    terms[i] = new BatchNormKernels.AddTerm(seg(r, t.x()), seg(r, t.mean()), seg(r, t.invstd()),
                            seg(r, t.gamma()), seg(r, t.beta()));
                }
                yield new CpuSteps.BnAdd(d, BatchNormKernels.addTerms(arena, d, terms), terms.length, seg(r, c.y()));
            }
            case KernelCall.BatchNormFwdEval c -> new CpuSteps.BnFwdEval(bn(c.shape()), seg(r, c.x()),
                    seg(r, c.gamma()), seg(r, c.beta()), seg(r, c.runningMean()), seg(r, c.runningVar()), seg(r, c.y()));
            case KernelCall.BatchNormBwd c -> new CpuSteps.BnBwd(bn(c.shape()), seg(r, c.x()), seg(r, c.dy()),
                    seg(r, c.gamma()), seg(r, c.saveMean()), seg(r, c.saveInvstd()), seg(r, c.dx()), seg(r, c.dgamma()),
                    seg(r, c.dbeta()), c.accumulateDx(), c.accumulateParams());
            case KernelCall.ChannelCopy c -> new CpuSteps.ChannelCopy(seg(r, c.src()), seg(r, c.dst()), c.n(), c.srcC(),
                    c.srcFrom(), c.dstC(), c.dstFrom(), c.count(), c.hw(), c.accumulate());
            case KernelCall.ChannelShuffle c -> new CpuSteps.ChannelShuffle(seg(r, c.x()), seg(r, c.y()), c.n(), c.c(),
                    c.hw(), c.groups(), c.inverse(), c.accumulate());
            case KernelCall.SpatialShift c -> new CpuSteps.SpatialShift(seg(r, c.x()), seg(r, c.y()), c.n(), c.c(),
                    c.h(), c.w(), c.oh(), c.ow(), c.offH(), c.offW(), c.backward(), c.accumulate());
            case KernelCall.Conv2dFwd c -> new CpuSteps.ConvFwd(conv(c.shape()), seg(r, c.x()), seg(r, c.w()),
                    seg(r, c.y()));
            case KernelCall.Conv2dBwdData c -> new CpuSteps.ConvBwdData(conv(c.shape()), seg(r, c.dy()), seg(r, c.w()),
                    seg(r, c.dx()), c.accumulate());
            case KernelCall.Conv2dBwdFilter c -> new CpuSteps.ConvBwdFilter(conv(c.shape()), seg(r, c.x()),
                    seg(r, c.dy()), seg(r, c.dw()), c.accumulate());
            case KernelCall.ReluConv2dFwd c -> new CpuSteps.ReluConvFwd(conv(c.shape()), seg(r, c.x()), seg(r, c.w()),
                    seg(r, c.y()));
            case KernelCall.ReluConv2dBwdData c -> new CpuSteps.ReluConvBwdData(conv(c.shape()), seg(r, c.x()),
                    seg(r, c.dy()), seg(r, c.w()), seg(r, c.dx()), c.accumulate());
            case KernelCall.ReluConv2dBwdFilter c -> new CpuSteps.ReluConvBwdFilter(conv(c.shape()), seg(r, c.x()),
                    seg(r, c.dy()), seg(r, c.dw()), c.accumulate());
            case KernelCall.SiblingConv2dFwd c -> new CpuSteps.SiblingConvFwd(conv(c.shape()), c.k1(), c.reluInput(),
                    seg(r, c.x()), seg(r, c.w1()), seg(r, c.w2()), seg(r, c.y1()), seg(r, c.y2()));
            case KernelCall.SiblingConv2dBwdData c -> new CpuSteps.SiblingConvBwdData(conv(c.shape()), c.k1(),
                    seg(r, c.reluX()), seg(r, c.dy1()), seg(r, c.dy2()), seg(r, c.w1()), seg(r, c.w2()), seg(r, c.dx()),
                    c.accumulate());
            case KernelCall.SiblingConv2dBwdFilter c -> new CpuSteps.SiblingConvBwdFilter(conv(c.shape()), c.k1(),
                    c.reluInput(), seg(r, c.x()), seg(r, c.dy1()), seg(r, c.dy2()), seg(r, c.dw1()), seg(r, c.dw2()),
                    c.accumulate());
            case KernelCall.GlobalAvgPoolFwd c -> new CpuSteps.GapFwd(seg(r, c.x()), seg(r, c.y()), c.n(), c.c(), c.hw());
            case KernelCall.GlobalAvgPoolBwd c -> new CpuSteps.GapBwd(seg(r, c.dy()), seg(r, c.dx()), c.n(), c.c(),
                    c.hw(), c.accumulate());
            case KernelCall.Pool2dFwd c -> c.pool() == PoolKind.AVG
                    ? new CpuSteps.AvgPoolFwd(pool(c.shape()), seg(r, c.x()), seg(r, c.y()))
                    : new CpuSteps.MaxPoolFwd(pool(c.shape()), seg(r, c.x()), seg(r, c.y()));
            case KernelCall.Pool2dBwd c -> c.pool() == PoolKind.AVG
                    ? new CpuSteps.AvgPoolBwd(pool(c.shape()), seg(r, c.dy()), seg(r, c.dx()), c.accumulate())
                    : new CpuSteps.MaxPoolBwd(pool(c.shape()), seg(r, c.x()), seg(r, c.dy()), seg(r, c.dx()),
                    c.accumulate());
            case KernelCall.LinearFwd c -> new CpuSteps.LinearFwd(seg(r, c.x()), seg(r, c.w()), seg(r, c.b()),
                    seg(r, c.y()), c.n(), c.in(), c.out());
            case KernelCall.LinearBwd c -> new CpuSteps.LinearBwd(seg(r, c.x()), seg(r, c.w()), seg(r, c.dy()),
                    seg(r, c.dx()), seg(r, c.dw()), seg(r, c.db()), c.n(), c.in(), c.out(), c.accumulateDx(),
                    c.accumulateParams());
            case KernelCall.SoftmaxXentFwd c -> new CpuSteps.XentFwd(seg(r, c.logits()), seg(r, c.labels()),
                    seg(r, c.probs()), c.n(), c.k(), seg(r, c.loss()), seg(r, c.correct()));
            case KernelCall.SoftmaxXentBwd c -> new CpuSteps.XentBwd(seg(r, c.probs()), seg(r, c.labels()),
                    seg(r, c.dlogits()), c.n(), c.k(), c.scale(), c.accumulate());
            case KernelCall.MixedFwd c -> new CpuSteps.MixedFwd(pointers(r, c.n(), c.xs()), seg(r, c.w()), c.k(), c.n(),
                    seg(r, c.y()));
            case KernelCall.MixedBwd c -> new CpuSteps.MixedBwd(pointers(r, c.n(), c.xs()), seg(r, c.w()), c.k(), c.n(),
                    seg(r, c.dy()), pointers(r, c.n(), c.dxs()), seg(r, c.dw()), c.accumulateDx(), c.accumulateDw());
            case KernelCall.WeightedAdd c -> new CpuSteps.WeightedAdd(seg(r, c.weight()), seg(r, c.x()), seg(r, c.y()),
                    c.n(), c.accumulate());
            case KernelCall.Fill c -> new CpuSteps.Fill(seg(r, c.y()), c.n(), c.value());
            case KernelCall.Copy c -> new CpuSteps.Copy(seg(r, c.x()), seg(r, c.y()), c.n());
            case KernelCall.Add c -> new CpuSteps.Add(seg(r, c.a()), seg(r, c.b()), seg(r, c.y()), c.n());
            case KernelCall.Add3 c -> new CpuSteps.Add3(seg(r, c.a()), seg(r, c.b()), seg(r, c.c()), seg(r, c.y()), c.n());
            case KernelCall.Axpy c -> new CpuSteps.Axpy(c.alpha(), seg(r, c.x()), seg(r, c.y()), c.n());
            case KernelCall.ChannelScaleFwd c -> new CpuSteps.ChannelScaleFwd(seg(r, c.x()), seg(r, c.s()),
                    seg(r, c.y()), c.n(), c.c(), c.hw());
            case KernelCall.ChannelScaleBwd c -> new CpuSteps.ChannelScaleBwd(seg(r, c.x()), seg(r, c.s()),
                    seg(r, c.dy()), seg(r, c.dx()), seg(r, c.ds()), c.n(), c.c(), c.hw(), c.accumulate());
        };
    }

    /** The operand's memory; null (absent) becomes the NULL segment the kernels accept for optional inputs. */
    static MemorySegment seg(Resolver r, Operand o) {
        if (o == null) {
            return MemorySegment.NULL;
        }
        if (o instanceof OperandSlice s) {
            return seg(r, s.base()).asSlice(s.offset() * Float.BYTES, s.size() * Float.BYTES);
        }
        return CpuBuffer.segment(r.buffer(o));
    }

    private MemorySegment pointers(Resolver r, long n, Operand[] xs) {
        if (xs == null) {
            return MemorySegment.NULL;
        }
        MemorySegment[] segs = new MemorySegment[xs.length];
        for (int i = 0; i < xs.length; i++) {
            segs[i] = seg(r, xs[i]);
        }
        return MixedOpKernels.pointerArray(arena, n, segs);
    }

    private static archway.bindings.cpu.Activation act(Activation a) {
        return switch (a) {
            case RELU -> archway.bindings.cpu.Activation.RELU;
            case SIGMOID -> archway.bindings.cpu.Activation.SIGMOID;
            case HSWISH -> archway.bindings.cpu.Activation.HSWISH;
            case HSIGMOID -> archway.bindings.cpu.Activation.HSIGMOID;
        };
    }

    private BatchNormDesc bn(BatchNormShape s) {
        return BatchNormDesc.of(arena, s.n(), s.c(), s.hw(), BatchNormShape.EPS, BatchNormShape.MOMENTUM);
    }

    private Conv2dDesc conv(ConvShape s) {
        return Conv2dDesc.square(arena, s.n(), s.c(), s.h(), s.w(), s.k(), s.kernel(), s.stride(), s.pad(),
                s.dilation(), s.groups());
    }

    private Pool2dDesc pool(PoolShape s) {
        return Pool2dDesc.square(arena, s.n(), s.c(), s.h(), s.w(), s.kernel(), s.stride(), s.pad(),
                s.countIncludePad());
    }

    @Override
    public void close() {
        arena.close();
    }
}
