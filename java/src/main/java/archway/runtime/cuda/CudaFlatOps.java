package archway.runtime.cuda;

import archway.bindings.cuda.CudaKernels;
import archway.runtime.Buffer;
import archway.runtime.FlatOps;
import archway.runtime.HostConvert;
import java.lang.foreign.MemorySegment;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.DoublePointer;

/**
 * The flat-buffer operations as Archway's CUDA kernels (bindings.cuda) on the compute stream.
 * Reductions use the kernels' fixed two-pass order into a device scratch, so a rerun is bit-identical;
 * their double result is read back synchronously. The uint8 -> float conversion of image batches runs
 * on the host (there is no CUDA kernel for it yet): the bytes come back, are converted with the CPU
 * kernel's exact formula, and go up as floats.
 */
final class CudaFlatOps implements FlatOps {
    /** ARCHWAY_REDUCE_MAX_TILES: the most tile partials one reduction writes (reduce_tiles(n) <= 1024). */
    static final long REDUCE_TILES = 1024;

    /**
     * Doubles of device scratch that k reductions at once need: every tile partial plus one slot, as the
     * kernels check it ({@code scratch_ok}: k * reduce_tiles(n) + 1). Sized for the tile cap, so one
     * scratch serves any n; n from 4096 * 1023 + 1 elements up reaches the cap.
     */
    static long reductionScratch(int k) {
        return k * REDUCE_TILES + 1;
    }

    /** The reduction result sits in the first 16 bytes of the flat scratch, the tile partials after it. */
    private static final long RESULT_BYTES = 16;

    private final CudaContext ctx;
    private final Buffer scratch;

    CudaFlatOps(CudaContext ctx, CudaBufferArena arena) {
        this.ctx = ctx;
        this.scratch = arena.allocate((RESULT_BYTES + reductionScratch(1) * Double.BYTES) / Float.BYTES);
    }

    private static MemorySegment d(Buffer b) {
        return MemorySegment.ofAddress(CudaBuffer.address(b));
    }

    private MemorySegment s() {
        return ctx.streamSegment();
    }

    @Override
    public void fill(Buffer y, long n, float v) { CudaKernels.fill(d(y), n, v, s()); }

    @Override
    public void copy(Buffer x, Buffer y, long n) { CudaKernels.copy(d(x), d(y), n, s()); }

    @Override
    public void copyBytes(Buffer x, Buffer y, long bytes) {
        CudaContext.check(cudart.cudaMemcpyAsync(new DevicePointer(CudaBuffer.address(y)),
                new DevicePointer(CudaBuffer.address(x)), bytes, cudart.cudaMemcpyDeviceToDevice, ctx.stream),
                "cudaMemcpyAsync");
    }

    @Override
    public void axpy(float alpha, Buffer x, Buffer y, long n) { CudaKernels.axpy(alpha, d(x), d(y), n, s()); }

    @Override
    public void axpby(float alpha, Buffer x, float beta, Buffer y, long n) {
        CudaKernels.axpby(alpha, d(x), beta, d(y), n, s());
    }

    @Override
    public void scale(Buffer y, long n, float alpha) { CudaKernels.scale(d(y), n, alpha, s()); }

    @Override
    public void weightNoise(Buffer w, Buffer eps, Buffer y, long n, float sigma) {
        CudaKernels.weightNoiseEps(d(w), d(eps), d(y), n, sigma, s());
    }

    @Override
    public void asamDirection(Buffer w, Buffer g, Buffer y, long n, float eta) {
        CudaKernels.asamDirection(d(w), d(g), d(y), n, eta, s());
    }

    @Override
    public synchronized double sumsq(Buffer x, long n) {
        long out = CudaBuffer.address(scratch);
        CudaKernels.sumsqTwoPass(d(x), n, MemorySegment.ofAddress(out), MemorySegment.ofAddress(out + RESULT_BYTES),
                reductionScratch(1), s());
        return readDouble(out);
    }

    @Override
    public synchronized double dot(Buffer a, Buffer b, long n) {
        long out = CudaBuffer.address(scratch);
        CudaKernels.dotTwoPass(d(a), d(b), n, MemorySegment.ofAddress(out), MemorySegment.ofAddress(out + RESULT_BYTES),
                reductionScratch(1), s());
        return readDouble(out);
    }

    private double readDouble(long address) {
        try (DoublePointer h = new DoublePointer(1)) {
            ctx.copy(h, new DevicePointer(address), Double.BYTES, cudart.cudaMemcpyDeviceToHost);
            return h.get(0);
        }
    }

    @Override
    public void uniform(Buffer out, long n, long seed, int purpose, int step) {
        CudaKernels.philoxUniform(d(out), n, seed, purpose, step, s());
    }

    @Override
    public void normal(Buffer out, long n, long seed, int purpose, int step) {
        CudaKernels.philoxNormal(d(out), n, seed, purpose, step, s());
    }

    @Override
    public void sgdStep(Buffer w, Buffer g, Buffer momentum, long n, float lr, float momentumFactor, float weightDecay,
                        boolean nesterov) {
        CudaKernels.sgdStep(d(w), d(g), d(momentum), n, lr, momentumFactor, weightDecay, nesterov ? 1 : 0, s());
    }

    @Override
    public void adamStep(Buffer w, Buffer g, Buffer m, Buffer v, long n, float lr, float beta1, float beta2, float eps,
                         float weightDecay, int t, boolean decoupled) {
        CudaKernels.adamStep(d(w), d(g), d(m), d(v), n, lr, beta1, beta2, eps, weightDecay, t, decoupled ? 1 : 0, s());
    }

    @Override
    public void softmaxRows(Buffer x, Buffer y, int rows, int cols, float temperature) {
        CudaKernels.softmaxRowsFwd(d(x), d(y), rows, cols, temperature, s());
    }

    @Override
    public void softmaxRowsBackward(Buffer y, Buffer dy, Buffer dx, int rows, int cols, float temperature,
                                    boolean accumulate) {
        CudaKernels.softmaxRowsBwd(d(y), d(dy), d(dx), rows, cols, temperature, accumulate ? 1 : 0, s());
    }

    @Override
    public void sparsemaxRows(Buffer x, Buffer y, int rows, int cols, float temperature) {
        CudaKernels.sparsemaxRowsFwd(d(x), d(y), rows, cols, temperature, s());
    }

    @Override
    public void sparsemaxRowsBackward(Buffer y, Buffer dy, Buffer dx, int rows, int cols, float temperature,
                                      boolean accumulate) {
        CudaKernels.sparsemaxRowsBwd(d(y), d(dy), d(dx), rows, cols, temperature, accumulate ? 1 : 0, s());
    }

    @Override
    public void u8ToF32Normalize(Buffer x, Buffer y, long n, int c, long hw, Buffer mean, Buffer std) {
        byte[] bytes = new byte[Math.toIntExact(n * c * hw)];
        x.readBytes(bytes);
        float[] m = new float[c];
        float[] sd = new float[c];
        mean.read(0, m);
        std.read(0, sd);
        y.write(0, HostConvert.u8ToF32Normalize(bytes, n, c, hw, m, sd));
    }
}
