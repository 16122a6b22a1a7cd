package archway.backend;

import archway.bindings.cpu.Pool2dDesc;
import archway.bindings.cuda.CudaKernels;
import archway.bindings.cuda.CudaMemory;
import archway.runtime.Activation;
import archway.runtime.Buffer;
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

    /** The device address of a harness buffer (NULL for an absent one). */
    private static MemorySegment dev(Buffer b) {
        return b == null ? MemorySegment.NULL : ((CudaTestBuffer) b).address();
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public Buffer put(float[] v) {
        MemorySegment h = arena.allocate(ValueLayout.JAVA_FLOAT, Math.max(1, v.length));
        MemorySegment.copy(v, 0, h, ValueLayout.JAVA_FLOAT, 0, v.length);
        return new CudaTestBuffer(upload(h, (long) v.length * Float.BYTES), Math.max(1, v.length));
    }

    @Override
    public Buffer putInts(int[] v) {
        MemorySegment h = arena.allocate(ValueLayout.JAVA_INT, Math.max(1, v.length));
        MemorySegment.copy(v, 0, h, ValueLayout.JAVA_INT, 0, v.length);
        return new CudaTestBuffer(upload(h, (long) v.length * Integer.BYTES), Math.max(1, v.length));
    }

    private MemorySegment upload(MemorySegment host, long bytes) {
        MemorySegment d = alloc(bytes);
        CudaMemory.toDevice(d, host, bytes);
        return d;
    }

    @Override
    public Buffer zeros(long n) {
        MemorySegment d = alloc(Math.max(1, n) * Float.BYTES);
        CudaKernels.fill(d, n, 0f, STREAM);
        return new CudaTestBuffer(d, Math.max(1, n));
    }

    @Override
    public float[] get(Buffer buffer, int n) {
        float[] out = new float[n];
        buffer.read(0, out);
        return out;
    }

    private double resultDouble() {
        MemorySegment h = arena.allocate(ValueLayout.JAVA_DOUBLE);
        CudaMemory.toHost(h, result, Double.BYTES);
        return h.get(ValueLayout.JAVA_DOUBLE, 0);
    }

    private MemorySegment hostPointers(Buffer[] ptrs) {
        MemorySegment h = arena.allocate(ValueLayout.ADDRESS, ptrs.length);
        for (int i = 0; i < ptrs.length; i++) {
            h.setAtIndex(ValueLayout.ADDRESS, i, dev(ptrs[i]));
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

    /** A host archway_pool2d_desc (average pooling, padding not counted). */
    private MemorySegment desc(int n, int c, int h, int w, int kernel, int stride, int pad) {
        return Pool2dDesc.square(arena, n, c, h, w, kernel, stride, pad, false).nativeDesc();
    }

    private static int flag(boolean b) {
        return b ? 1 : 0;
    }

    @Override
    public void actFwd(Activation a, Buffer x, Buffer y, long n) {
        CudaKernels.actFwd(a.ordinal() /* the ARCHWAY_ACT_* code */, dev(x), dev(y), n, STREAM);
    }

    @Override
    public void actBwd(Activation a, Buffer x, Buffer dy, Buffer dx, long n, boolean accumulate) {
        CudaKernels.actBwd(a.ordinal() /* the ARCHWAY_ACT_* code */, dev(x), dev(dy), dev(dx), n, flag(accumulate), STREAM);
    }

    @Override
    public void axpy(float alpha, Buffer x, Buffer y, long n) {
        CudaKernels.axpy(alpha, dev(x), dev(y), n, STREAM);
    }

    @Override
    public void copy(Buffer x, Buffer y, long n) {
        CudaKernels.copy(dev(x), dev(y), n, STREAM);
    }

    @Override
    public void weightNoise(Buffer w, Buffer out, long n, float sigma, long seed, int purpose, int step) {
        CudaKernels.weightNoise(dev(w), dev(out), n, sigma, seed, purpose, step, STREAM);
    }

    @Override
    public void zoPerturb(Buffer theta, Buffer z, float mu, Buffer plus, Buffer minus, long n) {
        CudaKernels.zoPerturb(dev(theta), dev(z), mu, dev(plus), dev(minus), n, STREAM);
    }

    @Override
    public void zoDirection(Buffer z, long d, long seed, int purpose, int step) {
        CudaKernels.zoDirection(dev(z), d, seed, purpose, step, scratch, SCRATCH, STREAM);
    }

    @Override
    public double sumsq(Buffer x, long n) {
        CudaKernels.sumsqTwoPass(dev(x), n, result, scratch, SCRATCH, STREAM);
        return resultDouble();
    }

    @Override
    public double dot(Buffer a, Buffer b, long n) {
        CudaKernels.dotTwoPass(dev(a), dev(b), n, result, scratch, SCRATCH, STREAM);
        return resultDouble();
    }

    @Override
    public double zoWeightTerm(Buffer wTwin, Buffer w, Buffer g, long n) {
        CudaKernels.zoWeightTerm(dev(wTwin), dev(w), dev(g), n, result, scratch, SCRATCH, STREAM);
        return resultDouble();
    }

    @Override
    public double clipGradNorm(Buffer g, long n, float maxNorm) {
        CudaKernels.clipGradNorm(dev(g), n, maxNorm, result, scratch, SCRATCH, STREAM);
        return resultDouble();
    }

    @Override
    public void mixedFwd(Buffer[] xs, Buffer w, long n, Buffer y) {
        CudaKernels.mixedFwd(hostPointers(xs), dev(w), xs.length, n, dev(y), 0, STREAM);
    }

    @Override
    public void mixedBwd(Buffer[] xs, Buffer w, long n, Buffer dy, Buffer[] dxs,
                         Buffer dw, boolean accumulateDx, boolean accumulateDw) {
        CudaKernels.mixedBwd(hostPointers(xs), dev(w), xs.length, n, dev(dy), hostPointers(dxs), dev(dw),
                flag(accumulateDx), flag(accumulateDw), scratch, SCRATCH, STREAM);
    }

    @Override
    public void softmaxRowsFwd(Buffer x, Buffer y, int rows, int cols, float temperature) {
        CudaKernels.softmaxRowsFwd(dev(x), dev(y), rows, cols, temperature, STREAM);
    }

    @Override
    public void softmaxRowsBwd(Buffer y, Buffer dy, Buffer dx, int rows, int cols, float temperature) {
        CudaKernels.softmaxRowsBwd(dev(y), dev(dy), dev(dx), rows, cols, temperature, 0, STREAM);
    }

    @Override
    public void sparsemaxRowsFwd(Buffer x, Buffer y, int rows, int cols, float temperature) {
        CudaKernels.sparsemaxRowsFwd(dev(x), dev(y), rows, cols, temperature, STREAM);
    }

    @Override
    public void sparsemaxRowsBwd(Buffer y, Buffer dy, Buffer dx, int rows, int cols,
                                 float temperature) {
        CudaKernels.sparsemaxRowsBwd(dev(y), dev(dy), dev(dx), rows, cols, temperature, 0, STREAM);
    }

    @Override
    public void sgdStep(Buffer w, Buffer g, Buffer buf, long n, float lr, float momentum, float wd,
                        boolean nesterov) {
        CudaKernels.sgdStep(dev(w), dev(g), dev(buf), n, lr, momentum, wd, flag(nesterov), STREAM);
    }

    @Override
    public void adamStep(Buffer w, Buffer g, Buffer m, Buffer v, long n, float lr,
                         float beta1, float beta2, float eps, float wd, int t, boolean decoupled) {
        CudaKernels.adamStep(dev(w), dev(g), dev(m), dev(v), n, lr, beta1, beta2, eps, wd, t, flag(decoupled), STREAM);
    }

    @Override
    public void channelCopy(Buffer src, Buffer dst, int n, int srcC, int srcC0, int dstC, int dstC0,
                            int count, int hw, boolean accumulate) {
        CudaKernels.channelCopy(dev(src), dev(dst), n, srcC, srcC0, dstC, dstC0, count, hw, flag(accumulate), STREAM);
    }

    @Override
    public void channelShuffle(Buffer x, Buffer y, int n, int c, int hw, int groups, boolean inverse) {
        CudaKernels.channelShuffle(dev(x), dev(y), n, c, hw, groups, flag(inverse), 0, STREAM);
    }

    @Override
    public void spatialShift(Buffer x, Buffer y, int n, int c, int h, int w, int oh, int ow, int offH,
                             int offW, boolean bwd) {
        CudaKernels.spatialShift(dev(x), dev(y), n, c, h, w, oh, ow, offH, offW, flag(bwd), 0, STREAM);
    }

    @Override
    public double[] softmaxXentFwd(Buffer logits, Buffer labels, Buffer probs, int n, int k) {
        MemorySegment rows = alloc(2L * n * Double.BYTES), loss = alloc(Float.BYTES), correct = alloc(Integer.BYTES);
        CudaKernels.softmaxXentFwd(dev(logits), dev(labels), dev(probs), n, k, loss, correct, rows, 2L * n, STREAM);
        MemorySegment h = arena.allocate(8);
        CudaMemory.toHost(h, loss, Float.BYTES);
        CudaMemory.toHost(h.asSlice(4), correct, Integer.BYTES);
        return new double[] {h.get(ValueLayout.JAVA_FLOAT, 0), h.get(ValueLayout.JAVA_INT, 4)};
    }

    @Override
    public void softmaxXentBwd(Buffer probs, Buffer labels, Buffer dlogits, int n, int k,
                               float scale) {
        CudaKernels.softmaxXentBwd(dev(probs), dev(labels), dev(dlogits), n, k, scale, 0, STREAM);
    }

    @Override
    public void avgpoolFwd(int n, int c, int h, int w, int kernel, int stride, int pad, Buffer x, Buffer y) {
        CudaKernels.avgpool2dFwd(desc(n, c, h, w, kernel, stride, pad), dev(x), dev(y), STREAM);
    }

    @Override
    public void avgpoolBwd(int n, int c, int h, int w, int kernel, int stride, int pad, Buffer dy,
                           Buffer dx) {
        CudaKernels.avgpool2dBwd(desc(n, c, h, w, kernel, stride, pad), dev(dy), dev(dx), 0, STREAM);
    }

    @Override
    public void centerCrop(Buffer src, Buffer dst, int planes, int big, int k, boolean bwd) {
        CudaKernels.centerCrop(dev(src), dev(dst), planes, big, k, flag(bwd), 0, STREAM);
    }

    @Override
    public void channelBiasFwd(Buffer x, Buffer b, Buffer y, int n, int c, int hw) {
        CudaKernels.channelBiasFwd(dev(x), dev(b), dev(y), n, c, hw, STREAM);
    }

    @Override
    public void channelBiasBwd(Buffer dy, Buffer db, int n, int c, int hw) {
        CudaKernels.channelBiasBwd(dev(dy), dev(db), n, c, hw, 0, STREAM);
    }

    @Override
    public void philoxUniform(Buffer out, long n, long seed, int purpose, int step) {
        CudaKernels.philoxUniform(dev(out), n, seed, purpose, step, STREAM);
    }

    @Override
    public void philoxNormal(Buffer out, long n, long seed, int purpose, int step) {
        CudaKernels.philoxNormal(dev(out), n, seed, purpose, step, STREAM);
    }
}
