package archway.runtime.cpu;

import archway.bindings.cpu.Activation;
import archway.bindings.cpu.ActivationKernels;
import archway.bindings.cpu.BatchNormDesc;
import archway.bindings.cpu.BatchNormKernels;
import archway.bindings.cpu.ChannelKernels;
import archway.bindings.cpu.Conv2dDesc;
import archway.bindings.cpu.ConvKernels;
import archway.bindings.cpu.ReluConvKernels;
import archway.bindings.cpu.SiblingConvKernels;
import archway.bindings.cpu.ElementwiseKernels;
import archway.bindings.cpu.LinearKernels;
import archway.bindings.cpu.LossKernels;
import archway.bindings.cpu.MixedOpKernels;
import archway.bindings.cpu.Pool2dDesc;
import archway.bindings.cpu.PoolKernels;
import archway.runtime.BoundStep;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The CPU backend's bound steps: one record per kernel, holding the resolved segments and native
 * descriptor, whose {@code run} is the single downcall. A profiler's stack names the kernel.
 */
final class CpuSteps {
    private CpuSteps() {
    }

    record ActFwd(String kernel, Activation act, MemorySegment x, MemorySegment y, long n) implements BoundStep {
        public void run() { ActivationKernels.actFwd(act, x, y, n); }
    }

    record ActBwd(String kernel, Activation act, MemorySegment x, MemorySegment dy, MemorySegment dx, long n,
                  boolean acc) implements BoundStep {
        public void run() { ActivationKernels.actBwd(act, x, dy, dx, n, acc); }
    }

    record BnFwdTrain(BatchNormDesc d, MemorySegment x, MemorySegment gamma, MemorySegment beta, MemorySegment y,
                      MemorySegment saveMean, MemorySegment saveInvstd, MemorySegment runningMean,
                      MemorySegment runningVar) implements BoundStep {
        public String kernel() { return "bn_fwd_train"; }

        public void run() { BatchNormKernels.bnFwdTrain(d, x, gamma, beta, y, saveMean, saveInvstd, runningMean, runningVar); }
    }

    record BnFwdSaved(BatchNormDesc d, MemorySegment x, MemorySegment gamma, MemorySegment beta,
                      MemorySegment saveMean, MemorySegment saveInvstd, MemorySegment y) implements BoundStep {
        public String kernel() { return "bn_fwd_saved"; }

        public void run() { BatchNormKernels.bnFwdSaved(d, x, gamma, beta, saveMean, saveInvstd, y); }
    }

    record BnAdd(BatchNormDesc d, MemorySegment terms, int count, MemorySegment y) implements BoundStep {
        public String kernel() { return "bn_add"; }

        public void run() { BatchNormKernels.bnAdd(d, terms, count, y); }
    }

    record BnFwdEval(BatchNormDesc d, MemorySegment x, MemorySegment gamma, MemorySegment beta, MemorySegment rm,
                     MemorySegment rv, MemorySegment y) implements BoundStep {
        public String kernel() { return "bn_fwd_eval"; }

        public void run() { BatchNormKernels.bnFwdEval(d, x, gamma, beta, rm, rv, y); }
    }

    record BnBwd(BatchNormDesc d, MemorySegment x, MemorySegment dy, MemorySegment gamma, MemorySegment saveMean,
                 MemorySegment saveInvstd, MemorySegment dx, MemorySegment dgamma, MemorySegment dbeta, boolean accDx,
                 boolean accP) implements BoundStep {
        public String kernel() { return "bn_bwd"; }

        public void run() { BatchNormKernels.bnBwd(d, x, dy, gamma, saveMean, saveInvstd, dx, dgamma, dbeta, accDx, accP); }
    }

    record ChannelCopy(MemorySegment src, MemorySegment dst, int n, int srcC, int srcFrom, int dstC, int dstFrom,
                       int count, int hw, boolean acc) implements BoundStep {
        public String kernel() { return "channel_copy"; }

        public void run() { ChannelKernels.channelCopy(src, dst, n, srcC, srcFrom, dstC, dstFrom, count, hw, acc); }
    }

    record ChannelShuffle(MemorySegment x, MemorySegment y, int n, int c, int hw, int groups, boolean inverse,
                          boolean acc) implements BoundStep {
        public String kernel() { return "channel_shuffle"; }

        public void run() { ChannelKernels.channelShuffle(x, y, n, c, hw, groups, inverse, acc); }
    }

    record SpatialShift(MemorySegment x, MemorySegment y, int n, int c, int h, int w, int oh, int ow, int offH,
                        int offW, boolean backward, boolean acc) implements BoundStep {
        public String kernel() { return "spatial_shift"; }

        public void run() { ChannelKernels.spatialShift(x, y, n, c, h, w, oh, ow, offH, offW, backward, acc); }
    }

    record ConvFwd(Conv2dDesc d, MemorySegment x, MemorySegment w, MemorySegment y) implements BoundStep {
        public String kernel() { return "conv2d_fwd"; }

        public void run() { ConvKernels.conv2dFwd(d, x, w, y); }
    }

    record ConvBwdData(Conv2dDesc d, MemorySegment dy, MemorySegment w, MemorySegment dx, boolean acc)
            implements BoundStep {
        public String kernel() { return "conv2d_bwd_data"; }

        public void run() { ConvKernels.conv2dBwdData(d, dy, w, dx, acc); }
    }

    record ConvBwdFilter(Conv2dDesc d, MemorySegment x, MemorySegment dy, MemorySegment dw, boolean acc)
            implements BoundStep {
        public String kernel() { return "conv2d_bwd_filter"; }

        public void run() { ConvKernels.conv2dBwdFilter(d, x, dy, dw, acc); }
    }

    record ReluConvFwd(Conv2dDesc d, MemorySegment x, MemorySegment w, MemorySegment y) implements BoundStep {
        public String kernel() { return "conv2d_relu_in_fwd"; }

        public void run() { ReluConvKernels.forward(d, x, w, y); }
    }

    record ReluConvBwdData(Conv2dDesc d, MemorySegment x, MemorySegment dy, MemorySegment w, MemorySegment dx,
                           boolean acc) implements BoundStep {
        public String kernel() { return "conv2d_relu_in_bwd_data"; }

        public void run() { ReluConvKernels.backwardData(d, x, dy, w, dx, acc); }
    }

    record ReluConvBwdFilter(Conv2dDesc d, MemorySegment x, MemorySegment dy, MemorySegment dw, boolean acc)
            implements BoundStep {
        public String kernel() { return "conv2d_relu_in_bwd_filter"; }

        public void run() { ReluConvKernels.backwardFilter(d, x, dy, dw, acc); }
    }

    record SiblingConvFwd(Conv2dDesc d, int k1, boolean relu, MemorySegment x, MemorySegment w1, MemorySegment w2,
                          MemorySegment y1, MemorySegment y2) implements BoundStep {
        public String kernel() { return "conv2d_siblings_fwd"; }

        public void run() { SiblingConvKernels.forward(d, k1, relu, x, w1, w2, y1, y2); }
    }

    record SiblingConvBwdData(Conv2dDesc d, int k1, MemorySegment reluX, MemorySegment dy1, MemorySegment dy2,
                              MemorySegment w1, MemorySegment w2, MemorySegment dx, boolean acc) implements BoundStep {
        public String kernel() { return "conv2d_siblings_bwd_data"; }

        public void run() { SiblingConvKernels.backwardData(d, k1, reluX, dy1, dy2, w1, w2, dx, acc); }
    }

    record SiblingConvBwdFilter(Conv2dDesc d, int k1, boolean relu, MemorySegment x, MemorySegment dy1,
                                MemorySegment dy2, MemorySegment dw1, MemorySegment dw2, boolean acc) implements BoundStep {
        public String kernel() { return "conv2d_siblings_bwd_filter"; }

        public void run() { SiblingConvKernels.backwardFilter(d, k1, relu, x, dy1, dy2, dw1, dw2, acc); }
    }

    record GapFwd(MemorySegment x, MemorySegment y, int n, int c, int hw) implements BoundStep {
        public String kernel() { return "global_avgpool_fwd"; }

        public void run() { PoolKernels.globalAvgpoolFwd(x, y, n, c, hw); }
    }

    record GapBwd(MemorySegment dy, MemorySegment dx, int n, int c, int hw, boolean acc) implements BoundStep {
        public String kernel() { return "global_avgpool_bwd"; }

        public void run() { PoolKernels.globalAvgpoolBwd(dy, dx, n, c, hw, acc); }
    }

    record AvgPoolFwd(Pool2dDesc d, MemorySegment x, MemorySegment y) implements BoundStep {
        public String kernel() { return "avgpool2d_fwd"; }

        public void run() { PoolKernels.avgpool2dFwd(d, x, y); }
    }

    record MaxPoolFwd(Pool2dDesc d, MemorySegment x, MemorySegment y) implements BoundStep {
        public String kernel() { return "maxpool2d_fwd"; }

        public void run() { PoolKernels.maxpool2dFwd(d, x, y); }
    }

    record AvgPoolBwd(Pool2dDesc d, MemorySegment dy, MemorySegment dx, boolean acc) implements BoundStep {
        public String kernel() { return "avgpool2d_bwd"; }

        public void run() { PoolKernels.avgpool2dBwd(d, dy, dx, acc); }
    }

    record MaxPoolBwd(Pool2dDesc d, MemorySegment x, MemorySegment dy, MemorySegment dx, boolean acc)
            implements BoundStep {
        public String kernel() { return "maxpool2d_bwd"; }

        public void run() { PoolKernels.maxpool2dBwd(d, x, dy, dx, acc); }
    }

    record LinearFwd(MemorySegment x, MemorySegment w, MemorySegment b, MemorySegment y, int n, int in, int out)
            implements BoundStep {
        public String kernel() { return "linear_fwd"; }

        public void run() { LinearKernels.linearFwd(x, w, b, y, n, in, out); }
    }

    record LinearBwd(MemorySegment x, MemorySegment w, MemorySegment dy, MemorySegment dx, MemorySegment dw,
                     MemorySegment db, int n, int in, int out, boolean accDx, boolean accP) implements BoundStep {
        public String kernel() { return "linear_bwd"; }

        public void run() { LinearKernels.linearBwd(x, w, dy, dx, dw, db, n, in, out, accDx, accP); }
    }

    record XentFwd(MemorySegment logits, MemorySegment labels, MemorySegment probs, int n, int k, MemorySegment loss,
                   MemorySegment correct) implements BoundStep {
        public String kernel() { return "softmax_xent_fwd"; }

        public void run() { LossKernels.softmaxXentFwd(logits, labels, probs, n, k, loss, correct); }
    }

    record XentBwd(MemorySegment probs, MemorySegment labels, MemorySegment dlogits, int n, int k, float scale,
                   boolean acc) implements BoundStep {
        public String kernel() { return "softmax_xent_bwd"; }

        public void run() { LossKernels.softmaxXentBwd(probs, labels, dlogits, n, k, scale, acc); }
    }

    record MixedFwd(MemorySegment xsPtrs, MemorySegment w, int k, long n, MemorySegment y) implements BoundStep {
        public String kernel() { return "mixed_fwd"; }

        public void run() { MixedOpKernels.mixedFwd(xsPtrs, w, k, n, y, false); }
    }

    record MixedBwd(MemorySegment xsPtrs, MemorySegment w, int k, long n, MemorySegment dy, MemorySegment dxsPtrs,
                    MemorySegment dw, boolean accDx, boolean accDw) implements BoundStep {
        public String kernel() { return "mixed_bwd"; }

        public void run() { MixedOpKernels.mixedBwd(xsPtrs, w, k, n, dy, dxsPtrs, dw, accDx, accDw); }
    }

    /** y (+)= weight[0] x with the weight read when the step runs. */
    record WeightedAdd(MemorySegment weight, MemorySegment x, MemorySegment y, long n, boolean acc)
            implements BoundStep {
        public String kernel() { return acc ? "axpy" : "axpby"; }

        public void run() {
            float wk = weight.get(ValueLayout.JAVA_FLOAT, 0);
            if (acc) {
                ElementwiseKernels.axpy(wk, x, y, n);
            } else {
                ElementwiseKernels.axpby(wk, x, 0f, y, n);
            }
        }
    }

    record Fill(MemorySegment y, long n, float v) implements BoundStep {
        public String kernel() { return "fill"; }

        public void run() { ElementwiseKernels.fill(y, n, v); }
    }

    record Copy(MemorySegment x, MemorySegment y, long n) implements BoundStep {
        public String kernel() { return "copy"; }

        public void run() { ElementwiseKernels.copy(x, y, n); }
    }

    record Add(MemorySegment a, MemorySegment b, MemorySegment y, long n) implements BoundStep {
        public String kernel() { return "add"; }

        public void run() { ElementwiseKernels.add(a, b, y, n); }
    }

    record Add3(MemorySegment a, MemorySegment b, MemorySegment c, MemorySegment y, long n) implements BoundStep {
        public String kernel() { return "add3"; }

        public void run() { ElementwiseKernels.add3(a, b, c, y, n); }
    }

    record Axpy(float alpha, MemorySegment x, MemorySegment y, long n) implements BoundStep {
        public String kernel() { return "axpy"; }

        public void run() { ElementwiseKernels.axpy(alpha, x, y, n); }
    }

    record ChannelScaleFwd(MemorySegment x, MemorySegment s, MemorySegment y, int n, int c, int hw)
            implements BoundStep {
        public String kernel() { return "channel_scale_fwd"; }

        public void run() { ElementwiseKernels.channelScaleFwd(x, s, y, n, c, hw); }
    }

    record ChannelScaleBwd(MemorySegment x, MemorySegment s, MemorySegment dy, MemorySegment dx, MemorySegment ds,
                           int n, int c, int hw, boolean acc) implements BoundStep {
        public String kernel() { return "channel_scale_bwd"; }

        public void run() { ElementwiseKernels.channelScaleBwd(x, s, dy, dx, ds, n, c, hw, acc); }
    }
}
