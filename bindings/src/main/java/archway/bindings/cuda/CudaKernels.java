package archway.bindings.cuda;

import static archway.bindings.Downcalls.F32;
import static archway.bindings.Downcalls.I32;
import static archway.bindings.Downcalls.I64;
import static archway.bindings.Downcalls.PTR;

import archway.bindings.NativeException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The archway_cuda_* kernels of native/include/archway.h, one Java method each, same argument order.
 * Tensor arguments are device addresses ({@link CudaMemory}), except where a parameter name ends in
 * "Host"; {@code stream} is a cudaStream_t ({@link MemorySegment#NULL}: the default stream). Calls are
 * asynchronous and check nothing Java could check for device memory: sizes are the caller's (the
 * backend's) responsibility, and the native argument checks are the only line of defence.
 * Handles are made on first use, so loading this class needs libarchway_cuda only when a kernel runs.
 */
public final class CudaKernels {
    private CudaKernels() {
    }

    @FunctionalInterface
    private interface Call {
        int invoke() throws Throwable;
    }

    private static void run(String name, Call call) {
        try {
            NativeException.check(call.invoke(), name);
        } catch (Throwable t) {
            throw NativeException.wrap(name, t);
        }
    }

    private static final class H {
        static final MethodHandle FILL = CudaLibrary.downcalls().status("archway_cuda_fill", PTR, I64, F32, PTR);
        static final MethodHandle COPY = CudaLibrary.downcalls().status("archway_cuda_copy", PTR, PTR, I64, PTR);
        static final MethodHandle ADD = CudaLibrary.downcalls().status("archway_cuda_add", PTR, PTR, PTR, I64, PTR);
        static final MethodHandle AXPY = CudaLibrary.downcalls().status("archway_cuda_axpy", F32, PTR, PTR, I64, PTR);
        static final MethodHandle AXPBY = CudaLibrary.downcalls().status("archway_cuda_axpby", F32, PTR, F32, PTR, I64, PTR);
        static final MethodHandle SCALE = CudaLibrary.downcalls().status("archway_cuda_scale", PTR, I64, F32, PTR);
        static final MethodHandle PHILOXUNIFORM = CudaLibrary.downcalls().status("archway_cuda_philox_uniform", PTR, I64, I64, I32, I32, PTR);
        static final MethodHandle PHILOXNORMAL = CudaLibrary.downcalls().status("archway_cuda_philox_normal", PTR, I64, I64, I32, I32, PTR);
        static final MethodHandle WEIGHTNOISE = CudaLibrary.downcalls().status("archway_cuda_weight_noise", PTR, PTR, I64, F32, I64, I32, I32, PTR);
        static final MethodHandle WEIGHTNOISEEPS = CudaLibrary.downcalls().status("archway_cuda_weight_noise_eps", PTR, PTR, PTR, I64, F32, PTR);
        static final MethodHandle ASAMDIRECTION = CudaLibrary.downcalls().status("archway_cuda_asam_direction", PTR, PTR, PTR, I64, F32, PTR);
        static final MethodHandle ZOPERTURB = CudaLibrary.downcalls().status("archway_cuda_zo_perturb", PTR, PTR, F32, PTR, PTR, I64, PTR);
        static final MethodHandle SUMSQTWOPASS = CudaLibrary.downcalls().status("archway_cuda_sumsq_two_pass", PTR, I64, PTR, PTR, I64, PTR);
        static final MethodHandle DOTTWOPASS = CudaLibrary.downcalls().status("archway_cuda_dot_two_pass", PTR, PTR, I64, PTR, PTR, I64, PTR);
        static final MethodHandle ZOWEIGHTTERM = CudaLibrary.downcalls().status("archway_cuda_zo_weight_term", PTR, PTR, PTR, I64, PTR, PTR, I64, PTR);
        static final MethodHandle CLIPGRADNORM = CudaLibrary.downcalls().status("archway_cuda_clip_grad_norm", PTR, I64, F32, PTR, PTR, I64, PTR);
        static final MethodHandle ZODIRECTION = CudaLibrary.downcalls().status("archway_cuda_zo_direction", PTR, I64, I64, I32, I32, PTR, I64, PTR);
        static final MethodHandle MIXEDFWD = CudaLibrary.downcalls().status("archway_cuda_mixed_fwd", PTR, PTR, I32, I64, PTR, I32, PTR);
        static final MethodHandle MIXEDBWD = CudaLibrary.downcalls().status("archway_cuda_mixed_bwd", PTR, PTR, I32, I64, PTR, PTR, PTR, I32, I32, PTR, I64, PTR);
        static final MethodHandle SOFTMAXROWSFWD = CudaLibrary.downcalls().status("archway_cuda_softmax_rows_fwd", PTR, PTR, I32, I32, F32, PTR);
        static final MethodHandle SOFTMAXROWSBWD = CudaLibrary.downcalls().status("archway_cuda_softmax_rows_bwd", PTR, PTR, PTR, I32, I32, F32, I32, PTR);
        static final MethodHandle SPARSEMAXROWSFWD = CudaLibrary.downcalls().status("archway_cuda_sparsemax_rows_fwd", PTR, PTR, I32, I32, F32, PTR);
        static final MethodHandle SPARSEMAXROWSBWD = CudaLibrary.downcalls().status("archway_cuda_sparsemax_rows_bwd", PTR, PTR, PTR, I32, I32, F32, I32, PTR);
        static final MethodHandle SGDSTEP = CudaLibrary.downcalls().status("archway_cuda_sgd_step", PTR, PTR, PTR, I64, F32, F32, F32, I32, PTR);
        static final MethodHandle ADAMSTEP = CudaLibrary.downcalls().status("archway_cuda_adam_step", PTR, PTR, PTR, PTR, I64, F32, F32, F32, F32, F32, I32, I32, PTR);
        static final MethodHandle ACTFWD = CudaLibrary.downcalls().status("archway_cuda_act_fwd", I32, PTR, PTR, I64, PTR);
        static final MethodHandle ACTBWD = CudaLibrary.downcalls().status("archway_cuda_act_bwd", I32, PTR, PTR, PTR, I64, I32, PTR);
        static final MethodHandle CHANNELCOPY = CudaLibrary.downcalls().status("archway_cuda_channel_copy", PTR, PTR, I32, I32, I32, I32, I32, I32, I32, I32, PTR);
        static final MethodHandle CHANNELSHUFFLE = CudaLibrary.downcalls().status("archway_cuda_channel_shuffle", PTR, PTR, I32, I32, I32, I32, I32, I32, PTR);
        static final MethodHandle SPATIALSHIFT = CudaLibrary.downcalls().status("archway_cuda_spatial_shift", PTR, PTR, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, PTR);
        static final MethodHandle SOFTMAXXENTFWD = CudaLibrary.downcalls().status("archway_cuda_softmax_xent_fwd", PTR, PTR, PTR, I32, I32, PTR, PTR, PTR, I64, PTR);
        static final MethodHandle SOFTMAXXENTBWD = CudaLibrary.downcalls().status("archway_cuda_softmax_xent_bwd", PTR, PTR, PTR, I32, I32, F32, I32, PTR);
        static final MethodHandle AVGPOOL2DFWD = CudaLibrary.downcalls().status("archway_cuda_avgpool2d_fwd", PTR, PTR, PTR, PTR);
        static final MethodHandle AVGPOOL2DBWD = CudaLibrary.downcalls().status("archway_cuda_avgpool2d_bwd", PTR, PTR, PTR, I32, PTR);
        static final MethodHandle CENTERCROP = CudaLibrary.downcalls().status("archway_cuda_center_crop", PTR, PTR, I32, I32, I32, I32, I32, PTR);
        static final MethodHandle CHANNELBIASFWD = CudaLibrary.downcalls().status("archway_cuda_channel_bias_fwd", PTR, PTR, PTR, I32, I32, I32, PTR);
        static final MethodHandle CHANNELBIASBWD = CudaLibrary.downcalls().status("archway_cuda_channel_bias_bwd", PTR, PTR, I32, I32, I32, I32, PTR);
    }

    /** y[0, n) = value. */
    public static void fill(MemorySegment y, long n, float value, MemorySegment stream) {
        run("archway_cuda_fill", () -> (int) H.FILL.invokeExact(y, n, value, stream));
    }

    /** y = x (save / restore). */
    public static void copy(MemorySegment x, MemorySegment y, long n, MemorySegment stream) {
        run("archway_cuda_copy", () -> (int) H.COPY.invokeExact(x, y, n, stream));
    }

    /** y = a + b. */
    public static void add(MemorySegment a, MemorySegment b, MemorySegment y, long n, MemorySegment stream) {
        run("archway_cuda_add", () -> (int) H.ADD.invokeExact(a, b, y, n, stream));
    }

    /** y += alpha x (one fused multiply-add, as on the CPU). */
    public static void axpy(float alpha, MemorySegment x, MemorySegment y, long n, MemorySegment stream) {
        run("archway_cuda_axpy", () -> (int) H.AXPY.invokeExact(alpha, x, y, n, stream));
    }

    /** y = alpha x + beta y. */
    public static void axpby(float alpha, MemorySegment x, float beta, MemorySegment y, long n, MemorySegment stream) {
        run("archway_cuda_axpby", () -> (int) H.AXPBY.invokeExact(alpha, x, beta, y, n, stream));
    }

    /** y *= alpha. */
    public static void scale(MemorySegment y, long n, float alpha, MemorySegment stream) {
        run("archway_cuda_scale", () -> (int) H.SCALE.invokeExact(y, n, alpha, stream));
    }

    /** U[0,1) Philox stream, identical to the CPU's. */
    public static void philoxUniform(MemorySegment out, long n, long seed, int purpose, int step, MemorySegment stream) {
        run("archway_cuda_philox_uniform", () -> (int) H.PHILOXUNIFORM.invokeExact(out, n, seed, purpose, step, stream));
    }

    /** N(0,1) Philox stream. */
    public static void philoxNormal(MemorySegment out, long n, long seed, int purpose, int step, MemorySegment stream) {
        run("archway_cuda_philox_normal", () -> (int) H.PHILOXNORMAL.invokeExact(out, n, seed, purpose, step, stream));
    }

    /** out = w + sigma w eps (FlatNAS). */
    public static void weightNoise(MemorySegment w, MemorySegment out, long n, float sigma, long seed, int purpose, int step, MemorySegment stream) {
        run("archway_cuda_weight_noise", () -> (int) H.WEIGHTNOISE.invokeExact(w, out, n, sigma, seed, purpose, step, stream));
    }

    /** y = w + sigma (w eps), eps given (as archway_cpu_weight_noise_eps). */
    public static void weightNoiseEps(MemorySegment w, MemorySegment eps, MemorySegment y, long n, float sigma, MemorySegment stream) {
        run("archway_cuda_weight_noise_eps", () -> (int) H.WEIGHTNOISEEPS.invokeExact(w, eps, y, n, sigma, stream));
    }

    /** y = (|w| + eta)^2 g (adaptive SAM). */
    public static void asamDirection(MemorySegment w, MemorySegment g, MemorySegment y, long n, float eta, MemorySegment stream) {
        run("archway_cuda_asam_direction", () -> (int) H.ASAMDIRECTION.invokeExact(w, g, y, n, eta, stream));
    }

    /** plus = theta + mu z, minus (nullable) = theta - mu z. */
    public static void zoPerturb(MemorySegment theta, MemorySegment z, float mu, MemorySegment plus, MemorySegment minus, long n, MemorySegment stream) {
        run("archway_cuda_zo_perturb", () -> (int) H.ZOPERTURB.invokeExact(theta, z, mu, plus, minus, n, stream));
    }

    /** *out (device double) = sum x^2, two-pass order. */
    public static void sumsqTwoPass(MemorySegment x, long n, MemorySegment out, MemorySegment scratch, long scratchLen, MemorySegment stream) {
        run("archway_cuda_sumsq_two_pass", () -> (int) H.SUMSQTWOPASS.invokeExact(x, n, out, scratch, scratchLen, stream));
    }

    /** *out (device double) = sum a b, two-pass order. */
    public static void dotTwoPass(MemorySegment a, MemorySegment b, long n, MemorySegment out, MemorySegment scratch, long scratchLen, MemorySegment stream) {
        run("archway_cuda_dot_two_pass", () -> (int) H.DOTTWOPASS.invokeExact(a, b, n, out, scratch, scratchLen, stream));
    }

    /** *out = <wTwin - w, g>, two-pass order. */
    public static void zoWeightTerm(MemorySegment wTwin, MemorySegment w, MemorySegment g, long n, MemorySegment out, MemorySegment scratch, long scratchLen, MemorySegment stream) {
        run("archway_cuda_zo_weight_term", () -> (int) H.ZOWEIGHTTERM.invokeExact(wTwin, w, g, n, out, scratch, scratchLen, stream));
    }

    /** Global-norm clipping on the device; *norm (nullable) = the norm before. */
    public static void clipGradNorm(MemorySegment g, long n, float maxNorm, MemorySegment norm, MemorySegment scratch, long scratchLen, MemorySegment stream) {
        run("archway_cuda_clip_grad_norm", () -> (int) H.CLIPGRADNORM.invokeExact(g, n, maxNorm, norm, scratch, scratchLen, stream));
    }

    /** z = Philox normals / their norm. */
    public static void zoDirection(MemorySegment z, long d, long seed, int purpose, int step, MemorySegment scratch, long scratchLen, MemorySegment stream) {
        run("archway_cuda_zo_direction", () -> (int) H.ZODIRECTION.invokeExact(z, d, seed, purpose, step, scratch, scratchLen, stream));
    }

    /** y (+)= sum of w[k] xs[k]; xsHost: a HOST array of k device pointers. */
    public static void mixedFwd(MemorySegment xsHost, MemorySegment w, int k, long n, MemorySegment y, int accumulate, MemorySegment stream) {
        run("archway_cuda_mixed_fwd", () -> (int) H.MIXEDFWD.invokeExact(xsHost, w, k, n, y, accumulate, stream));
    }

    /** dxs[k] (+)= w[k] dy and dw[k] (+)= <dy, xs[k]> in one pass. */
    public static void mixedBwd(MemorySegment xsHost, MemorySegment w, int k, long n, MemorySegment dy, MemorySegment dxsHost, MemorySegment dw, int accumulateDx, int accumulateDw, MemorySegment scratch, long scratchLen, MemorySegment stream) {
        run("archway_cuda_mixed_bwd", () -> (int) H.MIXEDBWD.invokeExact(xsHost, w, k, n, dy, dxsHost, dw, accumulateDx, accumulateDw, scratch, scratchLen, stream));
    }

    /** Row softmax of x / T. */
    public static void softmaxRowsFwd(MemorySegment x, MemorySegment y, int rows, int cols, float temperature, MemorySegment stream) {
        run("archway_cuda_softmax_rows_fwd", () -> (int) H.SOFTMAXROWSFWD.invokeExact(x, y, rows, cols, temperature, stream));
    }

    /** Its vector-Jacobian product. */
    public static void softmaxRowsBwd(MemorySegment y, MemorySegment dy, MemorySegment dx, int rows, int cols, float temperature, int accumulate, MemorySegment stream) {
        run("archway_cuda_softmax_rows_bwd", () -> (int) H.SOFTMAXROWSBWD.invokeExact(y, dy, dx, rows, cols, temperature, accumulate, stream));
    }

    /** Row sparsemax of x / T. */
    public static void sparsemaxRowsFwd(MemorySegment x, MemorySegment y, int rows, int cols, float temperature, MemorySegment stream) {
        run("archway_cuda_sparsemax_rows_fwd", () -> (int) H.SPARSEMAXROWSFWD.invokeExact(x, y, rows, cols, temperature, stream));
    }

    /** Its vector-Jacobian product. */
    public static void sparsemaxRowsBwd(MemorySegment y, MemorySegment dy, MemorySegment dx, int rows, int cols, float temperature, int accumulate, MemorySegment stream) {
        run("archway_cuda_sparsemax_rows_bwd", () -> (int) H.SPARSEMAXROWSBWD.invokeExact(y, dy, dx, rows, cols, temperature, accumulate, stream));
    }

    /** Fused SGD step. */
    public static void sgdStep(MemorySegment w, MemorySegment g, MemorySegment momentumBuf, long n, float lr, float momentum, float weightDecay, int nesterov, MemorySegment stream) {
        run("archway_cuda_sgd_step", () -> (int) H.SGDSTEP.invokeExact(w, g, momentumBuf, n, lr, momentum, weightDecay, nesterov, stream));
    }

    /** Fused Adam / AdamW step. */
    public static void adamStep(MemorySegment w, MemorySegment g, MemorySegment m, MemorySegment v, long n, float lr, float beta1, float beta2, float eps, float weightDecay, int t, int decoupled, MemorySegment stream) {
        run("archway_cuda_adam_step", () -> (int) H.ADAMSTEP.invokeExact(w, g, m, v, n, lr, beta1, beta2, eps, weightDecay, t, decoupled, stream));
    }

    /** Activation forward (archway.h ARCHWAY_ACT_* codes). */
    public static void actFwd(int kind, MemorySegment x, MemorySegment y, long n, MemorySegment stream) {
        run("archway_cuda_act_fwd", () -> (int) H.ACTFWD.invokeExact(kind, x, y, n, stream));
    }

    /** Activation backward (reads x). */
    public static void actBwd(int kind, MemorySegment x, MemorySegment dy, MemorySegment dx, long n, int accumulate, MemorySegment stream) {
        run("archway_cuda_act_bwd", () -> (int) H.ACTBWD.invokeExact(kind, x, dy, dx, n, accumulate, stream));
    }

    /** Channel-range copy (concat, slice and their backwards). */
    public static void channelCopy(MemorySegment src, MemorySegment dst, int n, int srcC, int srcC0, int dstC, int dstC0, int count, int hw, int accumulate, MemorySegment stream) {
        run("archway_cuda_channel_copy", () -> (int) H.CHANNELCOPY.invokeExact(src, dst, n, srcC, srcC0, dstC, dstC0, count, hw, accumulate, stream));
    }

    /** Channel shuffle (inverse = its backward). */
    public static void channelShuffle(MemorySegment x, MemorySegment y, int n, int c, int hw, int groups, int inverse, int accumulate, MemorySegment stream) {
        run("archway_cuda_channel_shuffle", () -> (int) H.CHANNELSHUFFLE.invokeExact(x, y, n, c, hw, groups, inverse, accumulate, stream));
    }

    /** Spatial window copy and its adjoint. */
    public static void spatialShift(MemorySegment x, MemorySegment y, int n, int c, int h, int w, int oh, int ow, int offH, int offW, int bwd, int accumulate, MemorySegment stream) {
        run("archway_cuda_spatial_shift", () -> (int) H.SPATIALSHIFT.invokeExact(x, y, n, c, h, w, oh, ow, offH, offW, bwd, accumulate, stream));
    }

    /** Mean softmax cross-entropy; loss / correct in device memory. */
    public static void softmaxXentFwd(MemorySegment logits, MemorySegment labels, MemorySegment probs, int n, int k, MemorySegment loss, MemorySegment correct, MemorySegment scratch, long scratchLen, MemorySegment stream) {
        run("archway_cuda_softmax_xent_fwd", () -> (int) H.SOFTMAXXENTFWD.invokeExact(logits, labels, probs, n, k, loss, correct, scratch, scratchLen, stream));
    }

    /** dlogits (+)= scale (probs - onehot) / n. */
    public static void softmaxXentBwd(MemorySegment probs, MemorySegment labels, MemorySegment dlogits, int n, int k, float scale, int accumulate, MemorySegment stream) {
        run("archway_cuda_softmax_xent_bwd", () -> (int) H.SOFTMAXXENTBWD.invokeExact(probs, labels, dlogits, n, k, scale, accumulate, stream));
    }

    /** Average pooling; desc: a HOST archway_pool2d_desc (Pool2dDesc.nativeDesc()). */
    public static void avgpool2dFwd(MemorySegment desc, MemorySegment x, MemorySegment y, MemorySegment stream) {
        run("archway_cuda_avgpool2d_fwd", () -> (int) H.AVGPOOL2DFWD.invokeExact(desc, x, y, stream));
    }

    /** Its backward (gather form). */
    public static void avgpool2dBwd(MemorySegment desc, MemorySegment dy, MemorySegment dx, int accumulate, MemorySegment stream) {
        run("archway_cuda_avgpool2d_bwd", () -> (int) H.AVGPOOL2DBWD.invokeExact(desc, dy, dx, accumulate, stream));
    }

    /** Centre crop (bwd = 1: its adjoint). */
    public static void centerCrop(MemorySegment src, MemorySegment dst, int planes, int big, int k, int bwd, int accumulate, MemorySegment stream) {
        run("archway_cuda_center_crop", () -> (int) H.CENTERCROP.invokeExact(src, dst, planes, big, k, bwd, accumulate, stream));
    }

    /** y = x + b[c]. */
    public static void channelBiasFwd(MemorySegment x, MemorySegment b, MemorySegment y, int n, int c, int hw, MemorySegment stream) {
        run("archway_cuda_channel_bias_fwd", () -> (int) H.CHANNELBIASFWD.invokeExact(x, b, y, n, c, hw, stream));
    }

    /** db[c] (+)= sum of dy over n and hw. */
    public static void channelBiasBwd(MemorySegment dy, MemorySegment db, int n, int c, int hw, int accumulate, MemorySegment stream) {
        run("archway_cuda_channel_bias_bwd", () -> (int) H.CHANNELBIASBWD.invokeExact(dy, db, n, c, hw, accumulate, stream));
    }
}
