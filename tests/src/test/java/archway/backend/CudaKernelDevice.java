package archway.backend;

import archway.bindings.cpu.Activation;
import archway.bindings.cpu.Pool2dDesc;
import archway.bindings.cuda.CudaKernels;
import archway.bindings.cuda.CudaMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The CUDA backend (libarchway_cuda through bindings.cuda) on device 0: every buffer is device memory,
 * staged through host copies; reductions land in a device double and are copied back.
 */
final class CudaKernelDevice implements KernelDevice {
    /** Scratch for k-way two-pass reductions: ARCHWAY_MIXED_MAX_K * ARCHWAY_REDUCE_MAX_TILES + 1 doubles. */
    private static final long SCRATCH = 16L * 1024 + 1;
    private static final MemorySegment STREAM = MemorySegment.NULL;

    private final Arena arena = Arena.ofConfined();
    private final List<MemorySegment> owned = new ArrayList<>();
    private final MemorySegment scratch = alloc(SCRATCH * Double.BYTES);
    private final MemorySegment result = alloc(2 * Double.BYTES);

    private MemorySegment alloc(long bytes) {
        MemorySegment d = CudaMemory.malloc(bytes);
        owned.add(d);
        return d;
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public MemorySegment put(float[] v) {
        MemorySegment h = arena.allocate(ValueLayout.JAVA_FLOAT, Math.max(1, v.length));
        MemorySegment.copy(v, 0, h, ValueLayout.JAVA_FLOAT, 0, v.length);
        return upload(h, (long) v.length * Float.BYTES);
    }

    @Override
    public MemorySegment putInts(int[] v) {
        MemorySegment h = arena.allocate(ValueLayout.JAVA_INT, Math.max(1, v.length));
        MemorySegment.copy(v, 0, h, ValueLayout.JAVA_INT, 0, v.length);
        return upload(h, (long) v.length * Integer.BYTES);
    }

    private MemorySegment upload(MemorySegment host, long bytes) {
        MemorySegment d = alloc(bytes);
        CudaMemory.toDevice(d, host, bytes);
        return d;
    }

    @Override
    public MemorySegment zeros(long n) {
        MemorySegment d = alloc(Math.max(1, n) * Float.BYTES);
        CudaKernels.fill(d, n, 0f, STREAM);
        return d;
    }

    @Override
    public float[] get(MemorySegment buffer, int n) {
        MemorySegment h = arena.allocate(ValueLayout.JAVA_FLOAT, Math.max(1, n));
        CudaMemory.toHost(h, buffer, (long) n * Float.BYTES);
        return h.asSlice(0, (long) n * Float.BYTES).toArray(ValueLayout.JAVA_FLOAT);
    }

    private double resultDouble() {
        MemorySegment h = arena.allocate(ValueLayout.JAVA_DOUBLE);
        CudaMemory.toHost(h, result, Double.BYTES);
        return h.get(ValueLayout.JAVA_DOUBLE, 0);
    }

    private MemorySegment hostPointers(MemorySegment[] ptrs) {
        MemorySegment h = arena.allocate(ValueLayout.ADDRESS, ptrs.length);
        for (int i = 0; i < ptrs.length; i++) {
            h.setAtIndex(ValueLayout.ADDRESS, i, ptrs[i] == null ? MemorySegment.NULL : ptrs[i]);
        }
        return h;
    }

    @Override
    public void close() {
        for (MemorySegment d : owned) {
            CudaMemory.free(d);
        }
        owned.clear();
        arena.close();
    }

    private static int flag(boolean b) {
        return b ? 1 : 0;
    }

    @Override
    public void actFwd(Activation a, MemorySegment x, MemorySegment y, long n) {
        CudaKernels.actFwd(a.code(), x, y, n, STREAM);
    }

    @Override
    public void actBwd(Activation a, MemorySegment x, MemorySegment dy, MemorySegment dx, long n, boolean accumulate) {
        CudaKernels.actBwd(a.code(), x, dy, dx, n, flag(accumulate), STREAM);
    }

    @Override
    public void axpy(float alpha, MemorySegment x, MemorySegment y, long n) {
        CudaKernels.axpy(alpha, x, y, n, STREAM);
    }

    @Override
    public void copy(MemorySegment x, MemorySegment y, long n) {
        CudaKernels.copy(x, y, n, STREAM);
    }

    @Override
    public void weightNoise(MemorySegment w, MemorySegment out, long n, float sigma, long seed, int purpose, int step) {
        CudaKernels.weightNoise(w, out, n, sigma, seed, purpose, step, STREAM);
    }

    @Override
    public void zoPerturb(MemorySegment theta, MemorySegment z, float mu, MemorySegment plus, MemorySegment minus, long n) {
        CudaKernels.zoPerturb(theta, z, mu, plus, minus == null ? MemorySegment.NULL : minus, n, STREAM);
    }

    @Override
    public void zoDirection(MemorySegment z, long d, long seed, int purpose, int step) {
        CudaKernels.zoDirection(z, d, seed, purpose, step, scratch, SCRATCH, STREAM);
    }

    @Override
    public double sumsq(MemorySegment x, long n) {
        CudaKernels.sumsqTwoPass(x, n, result, scratch, SCRATCH, STREAM);
        return resultDouble();
    }

    @Override
    public double dot(MemorySegment a, MemorySegment b, long n) {
        CudaKernels.dotTwoPass(a, b, n, result, scratch, SCRATCH, STREAM);
        return resultDouble();
    }

    @Override
    public double zoWeightTerm(MemorySegment wTwin, MemorySegment w, MemorySegment g, long n) {
        CudaKernels.zoWeightTerm(wTwin, w, g, n, result, scratch, SCRATCH, STREAM);
        return resultDouble();
    }

    @Override
    public double clipGradNorm(MemorySegment g, long n, float maxNorm) {
        CudaKernels.clipGradNorm(g, n, maxNorm, result, scratch, SCRATCH, STREAM);
        return resultDouble();
    }

    @Override
    public void mixedFwd(MemorySegment[] xs, MemorySegment w, long n, MemorySegment y, boolean accumulate) {
        CudaKernels.mixedFwd(hostPointers(xs), w, xs.length, n, y, flag(accumulate), STREAM);
    }

    @Override
    public void mixedBwd(MemorySegment[] xs, MemorySegment w, long n, MemorySegment dy, MemorySegment[] dxs,
                         MemorySegment dw, boolean accumulateDx, boolean accumulateDw) {
        CudaKernels.mixedBwd(hostPointers(xs), w, xs.length, n, dy, hostPointers(dxs), dw, flag(accumulateDx),
                flag(accumulateDw), scratch, SCRATCH, STREAM);
    }

    @Override
    public void softmaxRowsFwd(MemorySegment x, MemorySegment y, int rows, int cols, float temperature) {
        CudaKernels.softmaxRowsFwd(x, y, rows, cols, temperature, STREAM);
    }

    @Override
    public void softmaxRowsBwd(MemorySegment y, MemorySegment dy, MemorySegment dx, int rows, int cols, float temperature) {
        CudaKernels.softmaxRowsBwd(y, dy, dx, rows, cols, temperature, 0, STREAM);
    }

    @Override
    public void sparsemaxRowsFwd(MemorySegment x, MemorySegment y, int rows, int cols, float temperature) {
        CudaKernels.sparsemaxRowsFwd(x, y, rows, cols, temperature, STREAM);
    }

    @Override
    public void sparsemaxRowsBwd(MemorySegment y, MemorySegment dy, MemorySegment dx, int rows, int cols,
                                 float temperature) {
        CudaKernels.sparsemaxRowsBwd(y, dy, dx, rows, cols, temperature, 0, STREAM);
    }

    @Override
    public void sgdStep(MemorySegment w, MemorySegment g, MemorySegment buf, long n, float lr, float momentum, float wd,
                        boolean nesterov) {
        CudaKernels.sgdStep(w, g, buf, n, lr, momentum, wd, flag(nesterov), STREAM);
    }

    @Override
    public void adamStep(MemorySegment w, MemorySegment g, MemorySegment m, MemorySegment v, long n, float lr,
                         float beta1, float beta2, float eps, float wd, int t, boolean decoupled) {
        CudaKernels.adamStep(w, g, m, v, n, lr, beta1, beta2, eps, wd, t, flag(decoupled), STREAM);
    }

    @Override
    public void channelCopy(MemorySegment src, MemorySegment dst, int n, int srcC, int srcC0, int dstC, int dstC0,
                            int count, int hw, boolean accumulate) {
        CudaKernels.channelCopy(src, dst, n, srcC, srcC0, dstC, dstC0, count, hw, flag(accumulate), STREAM);
    }

    @Override
    public void channelShuffle(MemorySegment x, MemorySegment y, int n, int c, int hw, int groups, boolean inverse) {
        CudaKernels.channelShuffle(x, y, n, c, hw, groups, flag(inverse), 0, STREAM);
    }

    @Override
    public void spatialShift(MemorySegment x, MemorySegment y, int n, int c, int h, int w, int oh, int ow, int offH,
                             int offW, boolean bwd) {
        CudaKernels.spatialShift(x, y, n, c, h, w, oh, ow, offH, offW, flag(bwd), 0, STREAM);
    }

    @Override
    public double[] softmaxXentFwd(MemorySegment logits, MemorySegment labels, MemorySegment probs, int n, int k) {
        MemorySegment rows = alloc(2L * n * Double.BYTES), loss = alloc(Float.BYTES), correct = alloc(Integer.BYTES);
        CudaKernels.softmaxXentFwd(logits, labels, probs, n, k, loss, correct, rows, 2L * n, STREAM);
        MemorySegment h = arena.allocate(8);
        CudaMemory.toHost(h, loss, Float.BYTES);
        CudaMemory.toHost(h.asSlice(4), correct, Integer.BYTES);
        return new double[] {h.get(ValueLayout.JAVA_FLOAT, 0), h.get(ValueLayout.JAVA_INT, 4)};
    }

    @Override
    public void softmaxXentBwd(MemorySegment probs, MemorySegment labels, MemorySegment dlogits, int n, int k,
                               float scale) {
        CudaKernels.softmaxXentBwd(probs, labels, dlogits, n, k, scale, 0, STREAM);
    }

    @Override
    public void avgpoolFwd(int n, int c, int h, int w, int kernel, int stride, int pad, MemorySegment x, MemorySegment y) {
        CudaKernels.avgpool2dFwd(Pool2dDesc.square(arena, n, c, h, w, kernel, stride, pad, false).nativeDesc(), x, y,
                STREAM);
    }

    @Override
    public void avgpoolBwd(int n, int c, int h, int w, int kernel, int stride, int pad, MemorySegment dy,
                           MemorySegment dx) {
        CudaKernels.avgpool2dBwd(Pool2dDesc.square(arena, n, c, h, w, kernel, stride, pad, false).nativeDesc(), dy, dx, 0,
                STREAM);
    }

    @Override
    public void centerCrop(MemorySegment src, MemorySegment dst, int planes, int big, int k, boolean bwd) {
        CudaKernels.centerCrop(src, dst, planes, big, k, flag(bwd), 0, STREAM);
    }

    @Override
    public void channelBiasFwd(MemorySegment x, MemorySegment b, MemorySegment y, int n, int c, int hw) {
        CudaKernels.channelBiasFwd(x, b, y, n, c, hw, STREAM);
    }

    @Override
    public void channelBiasBwd(MemorySegment dy, MemorySegment db, int n, int c, int hw) {
        CudaKernels.channelBiasBwd(dy, db, n, c, hw, 0, STREAM);
    }

    @Override
    public void philoxUniform(MemorySegment out, long n, long seed, int purpose, int step) {
        CudaKernels.philoxUniform(out, n, seed, purpose, step, STREAM);
    }

    @Override
    public void philoxNormal(MemorySegment out, long n, long seed, int purpose, int step) {
        CudaKernels.philoxNormal(out, n, seed, purpose, step, STREAM);
    }
}
