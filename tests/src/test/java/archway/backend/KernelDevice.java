package archway.backend;

import archway.bindings.cpu.Activation;
import java.lang.foreign.MemorySegment;

/**
 * One backend as the backend-ops harness sees it: buffers on that backend and the kernels a search runs,
 * with the CPU bindings' argument order. Buffers are {@link MemorySegment}s (host memory for the CPU,
 * device addresses for CUDA); reductions return their result to the host.
 *
 * <p>This is the test-side stand-in for the runtime seam's {@code Backend} (issue 11): once that lands,
 * each implementation becomes an adapter over {@code CpuBackend} / {@code CudaBackend} and the harness
 * itself ({@link BackendOpsTest}) stays as it is.
 */
interface KernelDevice extends AutoCloseable {
    String name();

    MemorySegment put(float[] v);

    MemorySegment putInts(int[] v);

    MemorySegment zeros(long n);

    float[] get(MemorySegment buffer, int n);

    @Override
    void close();

    void actFwd(Activation a, MemorySegment x, MemorySegment y, long n);

    void actBwd(Activation a, MemorySegment x, MemorySegment dy, MemorySegment dx, long n, boolean accumulate);

    void axpy(float alpha, MemorySegment x, MemorySegment y, long n);

    void copy(MemorySegment x, MemorySegment y, long n);

    void weightNoise(MemorySegment w, MemorySegment out, long n, float sigma, long seed, int purpose, int step);

    void zoPerturb(MemorySegment theta, MemorySegment z, float mu, MemorySegment plus, MemorySegment minus, long n);

    void zoDirection(MemorySegment z, long d, long seed, int purpose, int step);

    double sumsq(MemorySegment x, long n);

    double dot(MemorySegment a, MemorySegment b, long n);

    double zoWeightTerm(MemorySegment wTwin, MemorySegment w, MemorySegment g, long n);

    /** Clips g in place; returns the norm before clipping. */
    double clipGradNorm(MemorySegment g, long n, float maxNorm);

    /** xs entries may be null (op "none"). */
    void mixedFwd(MemorySegment[] xs, MemorySegment w, long n, MemorySegment y, boolean accumulate);

    void mixedBwd(MemorySegment[] xs, MemorySegment w, long n, MemorySegment dy, MemorySegment[] dxs, MemorySegment dw,
                  boolean accumulateDx, boolean accumulateDw);

    void softmaxRowsFwd(MemorySegment x, MemorySegment y, int rows, int cols, float temperature);

    void softmaxRowsBwd(MemorySegment y, MemorySegment dy, MemorySegment dx, int rows, int cols, float temperature);

    void sparsemaxRowsFwd(MemorySegment x, MemorySegment y, int rows, int cols, float temperature);

    void sparsemaxRowsBwd(MemorySegment y, MemorySegment dy, MemorySegment dx, int rows, int cols, float temperature);

    void sgdStep(MemorySegment w, MemorySegment g, MemorySegment buf, long n, float lr, float momentum, float wd,
                 boolean nesterov);

    void adamStep(MemorySegment w, MemorySegment g, MemorySegment m, MemorySegment v, long n, float lr, float beta1,
                  float beta2, float eps, float wd, int t, boolean decoupled);

    void channelCopy(MemorySegment src, MemorySegment dst, int n, int srcC, int srcC0, int dstC, int dstC0, int count,
                     int hw, boolean accumulate);

    void channelShuffle(MemorySegment x, MemorySegment y, int n, int c, int hw, int groups, boolean inverse);

    void spatialShift(MemorySegment x, MemorySegment y, int n, int c, int h, int w, int oh, int ow, int offH, int offW,
                      boolean bwd);

    /** Returns {loss, correct}. */
    double[] softmaxXentFwd(MemorySegment logits, MemorySegment labels, MemorySegment probs, int n, int k);

    void softmaxXentBwd(MemorySegment probs, MemorySegment labels, MemorySegment dlogits, int n, int k, float scale);

    /** Average pooling without padding counted, square window. */
    void avgpoolFwd(int n, int c, int h, int w, int kernel, int stride, int pad, MemorySegment x, MemorySegment y);

    void avgpoolBwd(int n, int c, int h, int w, int kernel, int stride, int pad, MemorySegment dy, MemorySegment dx);

    void centerCrop(MemorySegment src, MemorySegment dst, int planes, int big, int k, boolean bwd);

    void channelBiasFwd(MemorySegment x, MemorySegment b, MemorySegment y, int n, int c, int hw);

    void channelBiasBwd(MemorySegment dy, MemorySegment db, int n, int c, int hw);

    void philoxUniform(MemorySegment out, long n, long seed, int purpose, int step);

    void philoxNormal(MemorySegment out, long n, long seed, int purpose, int step);
}
