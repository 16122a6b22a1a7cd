package archway.backend;

import archway.runtime.Activation;
import archway.runtime.Buffer;

/**
 * One backend as the backend-ops harness sees it: runtime {@link Buffer}s on that backend and the kernels a
 * search runs; reductions return their result to the host. The CPU implementation
 * ({@link RuntimeKernelDevice}) goes through the runtime {@code Backend} (kernel calls through its binder,
 * flat ops through {@code FlatOps}); the CUDA one calls libarchway_cuda directly until a
 * {@code CudaBackend} exists, after which it becomes a second {@link RuntimeKernelDevice}.
 */
interface KernelDevice extends AutoCloseable {
    String name();

    Buffer put(float[] v);

    Buffer putInts(int[] v);

    Buffer zeros(long n);

    float[] get(Buffer buffer, int n);

    @Override
    void close();

    void actFwd(Activation a, Buffer x, Buffer y, long n);

    void actBwd(Activation a, Buffer x, Buffer dy, Buffer dx, long n, boolean accumulate);

    void axpy(float alpha, Buffer x, Buffer y, long n);

    void copy(Buffer x, Buffer y, long n);

    void weightNoise(Buffer w, Buffer out, long n, float sigma, long seed, int purpose, int step);

    void zoPerturb(Buffer theta, Buffer z, float mu, Buffer plus, Buffer minus, long n);

    void zoDirection(Buffer z, long d, long seed, int purpose, int step);

    double sumsq(Buffer x, long n);

    double dot(Buffer a, Buffer b, long n);

    double zoWeightTerm(Buffer wTwin, Buffer w, Buffer g, long n);

    /** Clips g in place; returns the norm before clipping. */
    double clipGradNorm(Buffer g, long n, float maxNorm);

    /** y = sum of w[k] xs[k]; xs entries may be null (op "none"). */
    void mixedFwd(Buffer[] xs, Buffer w, long n, Buffer y);

    void mixedBwd(Buffer[] xs, Buffer w, long n, Buffer dy, Buffer[] dxs, Buffer dw,
                  boolean accumulateDx, boolean accumulateDw);

    void softmaxRowsFwd(Buffer x, Buffer y, int rows, int cols, float temperature);

    void softmaxRowsBwd(Buffer y, Buffer dy, Buffer dx, int rows, int cols, float temperature);

    void sparsemaxRowsFwd(Buffer x, Buffer y, int rows, int cols, float temperature);

    void sparsemaxRowsBwd(Buffer y, Buffer dy, Buffer dx, int rows, int cols, float temperature);

    void sgdStep(Buffer w, Buffer g, Buffer buf, long n, float lr, float momentum, float wd,
                 boolean nesterov);

    void adamStep(Buffer w, Buffer g, Buffer m, Buffer v, long n, float lr, float beta1,
                  float beta2, float eps, float wd, int t, boolean decoupled);

    void channelCopy(Buffer src, Buffer dst, int n, int srcC, int srcC0, int dstC, int dstC0, int count,
                     int hw, boolean accumulate);

    void channelShuffle(Buffer x, Buffer y, int n, int c, int hw, int groups, boolean inverse);

    void spatialShift(Buffer x, Buffer y, int n, int c, int h, int w, int oh, int ow, int offH, int offW,
                      boolean bwd);

    /** Returns {loss, correct}. */
    double[] softmaxXentFwd(Buffer logits, Buffer labels, Buffer probs, int n, int k);

    void softmaxXentBwd(Buffer probs, Buffer labels, Buffer dlogits, int n, int k, float scale);

    /** Average pooling without padding counted, square window. */
    void avgpoolFwd(int n, int c, int h, int w, int kernel, int stride, int pad, Buffer x, Buffer y);

    void avgpoolBwd(int n, int c, int h, int w, int kernel, int stride, int pad, Buffer dy, Buffer dx);

    void centerCrop(Buffer src, Buffer dst, int planes, int big, int k, boolean bwd);

    void channelBiasFwd(Buffer x, Buffer b, Buffer y, int n, int c, int hw);

    void channelBiasBwd(Buffer dy, Buffer db, int n, int c, int hw);

    void philoxUniform(Buffer out, long n, long seed, int purpose, int step);

    void philoxNormal(Buffer out, long n, long seed, int purpose, int step);
}
