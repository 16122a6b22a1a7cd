package archway.backend;

import archway.bindings.cpu.Activation;
import archway.bindings.cpu.ActivationKernels;
import archway.bindings.cpu.ChannelKernels;
import archway.bindings.cpu.ElementwiseKernels;
import archway.bindings.cpu.LossKernels;
import archway.bindings.cpu.MixedOpKernels;
import archway.bindings.cpu.OptimizerKernels;
import archway.bindings.cpu.Pool2dDesc;
import archway.bindings.cpu.PoolKernels;
import archway.bindings.cpu.RandomKernels;
import archway.bindings.cpu.SimplexKernels;
import archway.bindings.cpu.SizeVariableKernels;
import archway.bindings.cpu.TwoPassReductions;
import archway.bindings.cpu.ZoKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The CPU backend (libarchway_cpu through bindings.cpu): the reference every other backend is compared with. */
final class CpuKernelDevice implements KernelDevice {
    private final Arena arena = Arena.ofConfined();

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public MemorySegment put(float[] v) {
        MemorySegment s = arena.allocate(ValueLayout.JAVA_FLOAT, Math.max(1, v.length));
        MemorySegment.copy(v, 0, s, ValueLayout.JAVA_FLOAT, 0, v.length);
        return s;
    }

    @Override
    public MemorySegment putInts(int[] v) {
        MemorySegment s = arena.allocate(ValueLayout.JAVA_INT, Math.max(1, v.length));
        MemorySegment.copy(v, 0, s, ValueLayout.JAVA_INT, 0, v.length);
        return s;
    }

    @Override
    public MemorySegment zeros(long n) {
        return arena.allocate(ValueLayout.JAVA_FLOAT, Math.max(1, n));
    }

    @Override
    public float[] get(MemorySegment buffer, int n) {
        return buffer.asSlice(0, (long) n * Float.BYTES).toArray(ValueLayout.JAVA_FLOAT);
    }

    @Override
    public void close() {
        arena.close();
    }

    @Override
    public void actFwd(Activation a, MemorySegment x, MemorySegment y, long n) {
        ActivationKernels.actFwd(a, x, y, n);
    }

    @Override
    public void actBwd(Activation a, MemorySegment x, MemorySegment dy, MemorySegment dx, long n, boolean accumulate) {
        ActivationKernels.actBwd(a, x, dy, dx, n, accumulate);
    }

    @Override
    public void axpy(float alpha, MemorySegment x, MemorySegment y, long n) {
        ElementwiseKernels.axpy(alpha, x, y, n);
    }

    @Override
    public void copy(MemorySegment x, MemorySegment y, long n) {
        ElementwiseKernels.copy(x, y, n);
    }

    @Override
    public void weightNoise(MemorySegment w, MemorySegment out, long n, float sigma, long seed, int purpose, int step) {
        RandomKernels.weightNoise(w, out, n, sigma, seed, purpose, step);
    }

    @Override
    public void zoPerturb(MemorySegment theta, MemorySegment z, float mu, MemorySegment plus, MemorySegment minus, long n) {
        ZoKernels.perturb(theta, z, mu, plus, minus, n);
    }

    @Override
    public void zoDirection(MemorySegment z, long d, long seed, int purpose, int step) {
        ZoKernels.direction(z, d, seed, purpose, step);
    }

    @Override
    public double sumsq(MemorySegment x, long n) {
        return TwoPassReductions.sumsq(x, n);
    }

    @Override
    public double dot(MemorySegment a, MemorySegment b, long n) {
        return TwoPassReductions.dot(a, b, n);
    }

    @Override
    public double zoWeightTerm(MemorySegment wTwin, MemorySegment w, MemorySegment g, long n) {
        return ZoKernels.weightTerm(wTwin, w, g, n);
    }

    @Override
    public double clipGradNorm(MemorySegment g, long n, float maxNorm) {
        return TwoPassReductions.clipGradNorm(g, n, maxNorm);
    }

    @Override
    public void mixedFwd(MemorySegment[] xs, MemorySegment w, long n, MemorySegment y, boolean accumulate) {
        MixedOpKernels.mixedFwd(MixedOpKernels.pointerArray(arena, n, xs), w, xs.length, n, y, accumulate);
    }

    @Override
    public void mixedBwd(MemorySegment[] xs, MemorySegment w, long n, MemorySegment dy, MemorySegment[] dxs,
                         MemorySegment dw, boolean accumulateDx, boolean accumulateDw) {
        MixedOpKernels.mixedBwd(MixedOpKernels.pointerArray(arena, n, xs), w, xs.length, n, dy,
                MixedOpKernels.pointerArray(arena, n, dxs), dw, accumulateDx, accumulateDw);
    }

    @Override
    public void softmaxRowsFwd(MemorySegment x, MemorySegment y, int rows, int cols, float temperature) {
        SimplexKernels.softmaxRowsFwd(x, y, rows, cols, temperature);
    }

    @Override
    public void softmaxRowsBwd(MemorySegment y, MemorySegment dy, MemorySegment dx, int rows, int cols, float temperature) {
        SimplexKernels.softmaxRowsBwd(y, dy, dx, rows, cols, temperature, false);
    }

    @Override
    public void sparsemaxRowsFwd(MemorySegment x, MemorySegment y, int rows, int cols, float temperature) {
        SimplexKernels.sparsemaxRowsFwd(x, y, rows, cols, temperature);
    }

    @Override
    public void sparsemaxRowsBwd(MemorySegment y, MemorySegment dy, MemorySegment dx, int rows, int cols,
                                 float temperature) {
        SimplexKernels.sparsemaxRowsBwd(y, dy, dx, rows, cols, temperature, false);
    }

    @Override
    public void sgdStep(MemorySegment w, MemorySegment g, MemorySegment buf, long n, float lr, float momentum, float wd,
                        boolean nesterov) {
        OptimizerKernels.sgdStep(w, g, buf, n, lr, momentum, wd, nesterov);
    }

    @Override
    public void adamStep(MemorySegment w, MemorySegment g, MemorySegment m, MemorySegment v, long n, float lr,
                         float beta1, float beta2, float eps, float wd, int t, boolean decoupled) {
        OptimizerKernels.adamStep(w, g, m, v, n, lr, beta1, beta2, eps, wd, t, decoupled);
    }

    @Override
    public void channelCopy(MemorySegment src, MemorySegment dst, int n, int srcC, int srcC0, int dstC, int dstC0,
                            int count, int hw, boolean accumulate) {
        ChannelKernels.channelCopy(src, dst, n, srcC, srcC0, dstC, dstC0, count, hw, accumulate);
    }

    @Override
    public void channelShuffle(MemorySegment x, MemorySegment y, int n, int c, int hw, int groups, boolean inverse) {
        ChannelKernels.channelShuffle(x, y, n, c, hw, groups, inverse, false);
    }

    @Override
    public void spatialShift(MemorySegment x, MemorySegment y, int n, int c, int h, int w, int oh, int ow, int offH,
                             int offW, boolean bwd) {
        ChannelKernels.spatialShift(x, y, n, c, h, w, oh, ow, offH, offW, bwd, false);
    }

    @Override
    public double[] softmaxXentFwd(MemorySegment logits, MemorySegment labels, MemorySegment probs, int n, int k) {
        MemorySegment loss = arena.allocate(ValueLayout.JAVA_FLOAT), correct = arena.allocate(ValueLayout.JAVA_INT);
        LossKernels.softmaxXentFwd(logits, labels, probs, n, k, loss, correct);
        return new double[] {loss.get(ValueLayout.JAVA_FLOAT, 0), correct.get(ValueLayout.JAVA_INT, 0)};
    }

    @Override
    public void softmaxXentBwd(MemorySegment probs, MemorySegment labels, MemorySegment dlogits, int n, int k,
                               float scale) {
        LossKernels.softmaxXentBwd(probs, labels, dlogits, n, k, scale, false);
    }

    @Override
    public void avgpoolFwd(int n, int c, int h, int w, int kernel, int stride, int pad, MemorySegment x, MemorySegment y) {
        PoolKernels.avgpool2dFwd(Pool2dDesc.square(arena, n, c, h, w, kernel, stride, pad, false), x, y);
    }

    @Override
    public void avgpoolBwd(int n, int c, int h, int w, int kernel, int stride, int pad, MemorySegment dy,
                           MemorySegment dx) {
        PoolKernels.avgpool2dBwd(Pool2dDesc.square(arena, n, c, h, w, kernel, stride, pad, false), dy, dx, false);
    }

    @Override
    public void centerCrop(MemorySegment src, MemorySegment dst, int planes, int big, int k, boolean bwd) {
        if (bwd) {
            SizeVariableKernels.cropBwd(src, dst, planes, big, k, false);
        } else {
            SizeVariableKernels.cropFwd(src, dst, planes, big, k, false);
        }
    }

    @Override
    public void channelBiasFwd(MemorySegment x, MemorySegment b, MemorySegment y, int n, int c, int hw) {
        SizeVariableKernels.biasFwd(x, b, y, n, c, hw);
    }

    @Override
    public void channelBiasBwd(MemorySegment dy, MemorySegment db, int n, int c, int hw) {
        SizeVariableKernels.biasBwd(dy, db, n, c, hw, false);
    }

    @Override
    public void philoxUniform(MemorySegment out, long n, long seed, int purpose, int step) {
        RandomKernels.uniform(out, n, seed, purpose, step);
    }

    @Override
    public void philoxNormal(MemorySegment out, long n, long seed, int purpose, int step) {
        RandomKernels.normal(out, n, seed, purpose, step);
    }
}
