/*
 * archway.h — the one C ABI between the JVM (Panama FFM) and Archway's native kernels.
 *
 * Conventions (every function below follows them; Java checks them before each call):
 *  - float32 tensors, NCHW, densely packed unless a stride argument says otherwise.
 *  - Pointers are raw and owned by the caller. Native code never allocates tensors and never reads
 *    or writes outside the extents its arguments describe. Kernels may keep private scratch
 *    (e.g. im2col panels) in thread-local storage.
 *  - `accumulate` = 0 overwrites the output, 1 adds into it (gradient accumulation without a
 *    separate zero-fill).
 *  - Every function returns ARCHWAY_OK (0) or a negative ARCHWAY_E* code; Java turns a non-zero
 *    status into an exception. Invalid shapes must be rejected by Java first; the native checks
 *    are a second line of defence, never the first.
 *  - Reductions run in a fixed order for a fixed thread count, so results are bit-identical
 *    for the same inputs, seed and thread count.
 *  - CPU functions are archway_cpu_*, CUDA ones archway_cuda_* (taking a cudaStream_t as void*).
 */
#ifndef ARCHWAY_H
#define ARCHWAY_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ARCHWAY_OK 0
#define ARCHWAY_EINVAL (-1) /* an argument is out of range */
#define ARCHWAY_ECUDA (-2)  /* a CUDA runtime call failed */

/* ---------------------------------------------------------------- library */
int32_t archway_cpu_abi_version(void);           /* bumped whenever a signature here changes */
int32_t archway_cpu_set_threads(int32_t threads); /* OpenMP team size for all following calls */
int32_t archway_cpu_get_threads(void);
/* Writes a NUL-terminated description of the kernel build in use into buf (at most cap bytes):
 * "<variant> (<x86-64 level>: <features>); runs here: <variants this CPU runs>; <automatic | forced by
 * ARCHWAY_ISA | ARCHWAY_ISA=.. ignored (..)>; blocking for L1d <n> KiB, L2 <n> KiB". The library holds
 * baseline (x86-64-v2), avx2 (x86-64-v3) and avx512 (x86-64-v4) builds of every kernel and picks one when
 * loaded: the widest this CPU runs, or ARCHWAY_ISA=baseline|avx2|avx512. */
int32_t archway_cpu_features(char* buf, int32_t cap);

/* ---------------------------------------------------------------- random numbers (Philox4x32-10)
 * Element i of a stream keyed (seed, purpose, step) is derived from counter (i/4, step, purpose) and
 * key (seed lo, seed hi): CPU and CUDA produce identical streams. */
int32_t archway_cpu_philox_uniform(float* out, int64_t n, uint64_t seed, uint32_t purpose, uint32_t step);
int32_t archway_cpu_philox_normal(float* out, int64_t n, uint64_t seed, uint32_t purpose, uint32_t step);

/* ---------------------------------------------------------------- convolution
 * x[n, c, h, w], weight[k, c/groups, kh, kw], y[n, k, oh, ow];
 * oh = (h + 2 pad_h - dil_h (kh - 1) - 1) / stride_h + 1 (same for ow). No bias. */
typedef struct archway_conv2d_desc {
  int32_t n, c, h, w;
  int32_t k, kh, kw;
  int32_t stride_h, stride_w, pad_h, pad_w, dil_h, dil_w, groups;
  int32_t oh, ow;
} archway_conv2d_desc;

int32_t archway_cpu_conv2d_fwd(const archway_conv2d_desc* d, const float* x, const float* weight, float* y);
/* Forward algorithms, for benchmarking and testing each one (archway_cpu_conv2d_fwd picks automatically):
 *  IM2COL    im2col rows packed straight into GEMM panels; any shape
 *  PADDED    stride 1, not 1x1/pad 0: taps read as slices of a zero-padded copy of the input planes
 *  DIRECT    avx512 builds; stride 1, ow % 16 == 0 or ow == 8, oh*ow % 32 == 0: no packing of the input
 *  DEPTHWISE c == groups: direct per-channel correlation
 *  WINOGRAD  F(2x2, 3x3): 3x3, stride 1, dilation 1, groups 1; 2.25x fewer multiplies. avx512 and avx2
 *            builds with c and k multiples of 16: vectorised (channels in the lanes; in avx512 also a tile
 *            row in the lanes for 12-16 tiles per row), automatic where c, k >= 32 and the output is
 *            larger than 32 x 32 (or, avx512, 16 channels with 12-16 tiles per tile row: measured faster
 *            there); elsewhere a scalar reference, never automatic
 *  WIDE      avx512 builds; stride 1, not 1x1/pad 0, any width: DIRECT over padded-width rows, extra
 *            columns dropped at the store; bit-identical to PADDED
 *  LANES     avx512 builds; k/groups % 32 == 0, ow <= 14: output channels in the vector lanes, one
 *            output row per tile (no dropped columns); bit-identical to PADDED / IM2COL
 *  WINOGRAD_F4  avx512 and avx2 builds, 3x3, stride 1, dilation 1, groups 1, c and k multiples of 16:
 *            F(4x4, 3x3) with the channels in the lanes, 4x fewer multiplies, float error a few 1e-6
 *            relative; automatic where c, k >= 32 and the output is at most 32 x 32 */
#define ARCHWAY_CONV_ALGO_AUTO 0
#define ARCHWAY_CONV_ALGO_IM2COL 1
#define ARCHWAY_CONV_ALGO_PADDED 2
#define ARCHWAY_CONV_ALGO_DIRECT 3
#define ARCHWAY_CONV_ALGO_DEPTHWISE 4
#define ARCHWAY_CONV_ALGO_WINOGRAD 5
#define ARCHWAY_CONV_ALGO_WIDE 6
#define ARCHWAY_CONV_ALGO_LANES 7
#define ARCHWAY_CONV_ALGO_WINOGRAD_F4 8
/* As archway_cpu_conv2d_fwd with the given algorithm; ARCHWAY_EINVAL when it does not apply to d in the
 * loaded ISA variant. */
int32_t archway_cpu_conv2d_fwd_algo(const archway_conv2d_desc* d, int32_t algo, const float* x, const float* weight,
                                    float* y);
/* The algorithm archway_cpu_conv2d_fwd uses for d (an ARCHWAY_CONV_ALGO_* > 0), or ARCHWAY_EINVAL. */
int32_t archway_cpu_conv2d_fwd_choice(const archway_conv2d_desc* d);
int32_t archway_cpu_conv2d_bwd_data(const archway_conv2d_desc* d, const float* dy, const float* weight,
                                    float* dx, int32_t accumulate);
int32_t archway_cpu_conv2d_bwd_filter(const archway_conv2d_desc* d, const float* x, const float* dy,
                                      float* dweight, int32_t accumulate);
/* Gradient algorithms, for benchmarking and testing each one (the calls above pick automatically):
 * data gradient
 *  GEMM       W^T dy into columns, then col2im (1x1 stride 1: straight into dx); any shape
 *  PADDED     stride 1, not 1x1: the forward convolution of dy with the flipped filters, padded GEMM panels
 *  DIRECT     avx512; the same through the direct kernel (output width a multiple of 16, or 8; 1x1 too)
 *  WIDE       avx512; the same through the wide kernel (any width); bit-identical to PADDED
 *  DEPTHWISE  c == groups
 *  PHASES     stride > 1, not depthwise: each phase of dx (its rows / columns mod the stride) is a
 *             stride-1 convolution of dy with the taps that reach it, run by the forward kernels;
 *             never automatic (slower than GEMM on the measured shapes)
 *  LANES      avx512; the flipped forward through the LANES forward kernel (ow <= 14, c/groups % 32 == 0)
 *  WINOGRAD   3x3, stride 1, dilation 1, groups 1, pad <= 2: the flipped forward through the WINOGRAD forward
 *             kernel; automatic where the forward would take it
 *  SCATTER    avx512 and avx2, groups 1, c % 16 == 0, any kernel / stride / dilation: the columns of each output
 *             position (W^T dy, input channels in the lanes) added into an HWC copy of dx by vector adds,
 *             then transposed back; automatic for strided shapes
 *  WINOGRAD_F4  avx512 and avx2: the flipped forward through the WINOGRAD_F4 forward kernel; automatic where
 *             the forward of the flipped shape takes it
 * weight gradient
 *  GEMM       im2col rows packed as GEMM panels over (image, position); any shape
 *  WIDE       avx512, not depthwise, any stride: contiguous tap slices of the padded (phase) planes
 *             against dy in the same wide layout, 16-lane partial sums
 *  LANES      avx512 and avx2, stride 1, k/groups % 16 == 0, 3-wide kernels: output channels in the lanes
 *  DEPTHWISE  c == groups
 *  WINOGRAD   avx512 and avx2, 3x3, stride 1, dilation 1, groups 1, c and k multiples of 16: F(2x2, 3x3) with the
 *             channels in the lanes (dU = sum of A dy A^T .* B^T x B over tiles, dW = G^T dU G);
 *             automatic where c, k >= 32 and the output is larger than 32 x 32
 *  GATHER     avx512 and avx2, groups 1, c % 16 == 0, any kernel / stride / dilation: input channels in the lanes,
 *             read from an HWC copy of x, dy broadcast; automatic for strided and 1x1 shapes
 *  WINOGRAD_F4  avx512 and avx2, as WINOGRAD with F(4x4, 3x3) (6x6 transformed tiles); automatic for such shapes
 *             up to 32 x 32 outputs (16 channels included) */
#define ARCHWAY_CONV_BWD_AUTO 0
#define ARCHWAY_CONV_BWD_DATA_GEMM 1
#define ARCHWAY_CONV_BWD_DATA_PADDED 2
#define ARCHWAY_CONV_BWD_DATA_DIRECT 3
#define ARCHWAY_CONV_BWD_DATA_WIDE 4
#define ARCHWAY_CONV_BWD_DATA_DEPTHWISE 5
#define ARCHWAY_CONV_BWD_DATA_PHASES 6
#define ARCHWAY_CONV_BWD_DATA_LANES 7
#define ARCHWAY_CONV_BWD_DATA_WINOGRAD 8
#define ARCHWAY_CONV_BWD_DATA_SCATTER 9
#define ARCHWAY_CONV_BWD_DATA_WINOGRAD_F4 10
#define ARCHWAY_CONV_BWD_FILTER_GEMM 1
#define ARCHWAY_CONV_BWD_FILTER_WIDE 2
#define ARCHWAY_CONV_BWD_FILTER_LANES 3
#define ARCHWAY_CONV_BWD_FILTER_DEPTHWISE 4
#define ARCHWAY_CONV_BWD_FILTER_WINOGRAD 5
#define ARCHWAY_CONV_BWD_FILTER_GATHER 6
#define ARCHWAY_CONV_BWD_FILTER_WINOGRAD_F4 7
/* As the calls above with the given algorithm; ARCHWAY_EINVAL when it does not apply to d in the loaded
 * ISA variant. The _choice calls say which one the automatic path takes. */
int32_t archway_cpu_conv2d_bwd_data_algo(const archway_conv2d_desc* d, int32_t algo, const float* dy,
                                         const float* weight, float* dx, int32_t accumulate);
int32_t archway_cpu_conv2d_bwd_data_choice(const archway_conv2d_desc* d);
int32_t archway_cpu_conv2d_bwd_filter_algo(const archway_conv2d_desc* d, int32_t algo, const float* x,
                                           const float* dy, float* dweight, int32_t accumulate);
int32_t archway_cpu_conv2d_bwd_filter_choice(const archway_conv2d_desc* d);
/* The same passes for conv2d(relu(x), w), the ReLU fused into the convolution's input: the kernels
 * apply it while copying x into their zero-padded scratch, so relu(x) is never stored (shapes whose
 * kernel reads x in place get a relu(x) scratch copy). Results are bit-identical to an unfused ReLU
 * followed by the convolution:
 *   fwd:        y = conv(relu(x), w)
 *   bwd_data:   dx (+)= g * relu_grad(x), g the data gradient of dy (as the ReLU backward computes it)
 *   bwd_filter: dweight (+)= the filter gradient of relu(x) and dy */
int32_t archway_cpu_conv2d_relu_in_fwd(const archway_conv2d_desc* d, const float* x, const float* weight, float* y);
int32_t archway_cpu_conv2d_relu_in_bwd_data(const archway_conv2d_desc* d, const float* x, const float* dy,
                                            const float* weight, float* dx, int32_t accumulate);
int32_t archway_cpu_conv2d_relu_in_bwd_filter(const archway_conv2d_desc* d, const float* x, const float* dy,
                                              float* dweight, int32_t accumulate);
/* Sibling convolutions: two convolutions of one input x (with the fused input ReLU when relu != 0), filters
 * w1 [k1, c, kh, kw] and w2 [k - k1, c, kh, kw], outputs y1 [n, k1, oh, ow] and y2 [n, k - k1, oh, ow];
 * d describes the pair as one convolution with k output channels (groups 1, 1 <= k1 < k). Where the
 * automatic algorithm for d is a vectorised Winograd kernel the pair runs as that one convolution (x read
 * and transformed once); otherwise as two calls. dw1, dw2 are bit-identical to two calls, and y1, y2 where
 * the merged shape takes the single shapes' algorithm; otherwise y1, y2, and dx (one sum over both dy),
 * differ from two calls by rounding.
 *   bwd_data:   dx (+)= data gradient of dy1 through w1 + that of dy2 through w2 (times relu_grad(relu_x)
 *               when relu_x is not null: the fused ReLU's backward)
 *   bwd_filter: dw1 (+)= weight gradient of dy1, dw2 (+)= that of dy2 */
int32_t archway_cpu_conv2d_siblings_fwd(const archway_conv2d_desc* d, int32_t k1, int32_t relu, const float* x,
                                        const float* w1, const float* w2, float* y1, float* y2);
int32_t archway_cpu_conv2d_siblings_bwd_data(const archway_conv2d_desc* d, int32_t k1, const float* relu_x,
                                             const float* dy1, const float* dy2, const float* w1, const float* w2,
                                             float* dx, int32_t accumulate);
int32_t archway_cpu_conv2d_siblings_bwd_filter(const archway_conv2d_desc* d, int32_t k1, int32_t relu, const float* x,
                                               const float* dy1, const float* dy2, float* dw1, float* dw2,
                                               int32_t accumulate);
/* Whether the pair runs as one call for pass 0 (forward), 1 (data gradient, without a fused ReLU) or 2 (weight
 * gradient): the algorithm of the merged call (ARCHWAY_CONV_ALGO_* / ARCHWAY_CONV_BWD_DATA_* /
 * ARCHWAY_CONV_BWD_FILTER_*), 0 for two calls, ARCHWAY_EINVAL for an invalid split or pass. */
int32_t archway_cpu_conv2d_siblings_merged(const archway_conv2d_desc* d, int32_t k1, int32_t pass);

/* ---------------------------------------------------------------- linear
 * x[n, in], weight[out, in], bias[out] (nullable), y[n, out] = x weight^T + bias. */
int32_t archway_cpu_linear_fwd(const float* x, const float* weight, const float* bias, float* y,
                               int32_t n, int32_t in, int32_t out);
/* dx (nullable) = dy weight; dweight (nullable) = dy^T x; dbias (nullable) = sum_n dy. */
int32_t archway_cpu_linear_bwd(const float* x, const float* weight, const float* dy, float* dx,
                               float* dweight, float* dbias, int32_t n, int32_t in, int32_t out,
                               int32_t accumulate_dx, int32_t accumulate_dparams);

/* ---------------------------------------------------------------- batch normalisation
 * Per-channel over (n, hw). gamma/beta nullable (non-affine). Training: batch statistics
 * (biased variance for normalising, unbiased for the running update), saves mean and 1/sqrt(var+eps)
 * for backward; running_mean/running_var nullable (no tracking). */
typedef struct archway_bn_desc {
  int32_t n, c, hw;
  float eps, momentum; /* running = (1 - momentum) running + momentum batch (PyTorch convention) */
} archway_bn_desc;

/* y nullable: statistics only (saved and running), for a consumer that applies them itself
 * (archway_cpu_bn_add). */
int32_t archway_cpu_bn_fwd_train(const archway_bn_desc* d, const float* x, const float* gamma, const float* beta,
                                 float* y, float* save_mean, float* save_invstd,
                                 float* running_mean, float* running_var);
/* One input of archway_cpu_bn_add: x (n x c x hw) normalised with a training forward's saved mean and
 * invstd (and gamma/beta, nullable), or, with mean NULL, x as it is. */
typedef struct archway_bn_add_input {
  const float* x;
  const float* mean;
  const float* invstd;
  const float* gamma;
  const float* beta;
} archway_bn_add_input;
/* y = term 0 + term 1 + ... (added left to right), term i = BN_i(x_i) or x_i: bit-identical to
 * archway_cpu_bn_fwd_saved into separate buffers followed by archway_cpu_add / add3 / axpy, without writing
 * the normalised tensors (a cell node summing batch-normed edges). count >= 1; y may not alias any x. */
int32_t archway_cpu_bn_add(const archway_bn_desc* d, int32_t count, const archway_bn_add_input* inputs, float* y);
/* The training forward's y again from the mean and invstd it saved, without the statistics pass:
 * bit-identical to archway_cpu_bn_fwd_train's y (recomputing y in backward instead of keeping it). */
int32_t archway_cpu_bn_fwd_saved(const archway_bn_desc* d, const float* x, const float* gamma, const float* beta,
                                 const float* save_mean, const float* save_invstd, float* y);
int32_t archway_cpu_bn_fwd_eval(const archway_bn_desc* d, const float* x, const float* gamma, const float* beta,
                                const float* running_mean, const float* running_var, float* y);
/* dx nullable; dgamma/dbeta nullable (non-affine, or weight gradients not needed). */
int32_t archway_cpu_bn_bwd(const archway_bn_desc* d, const float* x, const float* dy, const float* gamma,
                           const float* save_mean, const float* save_invstd, float* dx, float* dgamma,
                           float* dbeta, int32_t accumulate_dx, int32_t accumulate_dparams);

/* ---------------------------------------------------------------- pooling
 * count_include_pad = 0: average over the window cells inside the image only. */
typedef struct archway_pool2d_desc {
  int32_t n, c, h, w;
  int32_t kh, kw, stride_h, stride_w, pad_h, pad_w;
  int32_t oh, ow;
  int32_t count_include_pad;
} archway_pool2d_desc;

int32_t archway_cpu_avgpool2d_fwd(const archway_pool2d_desc* d, const float* x, float* y);
int32_t archway_cpu_avgpool2d_bwd(const archway_pool2d_desc* d, const float* dy, float* dx, int32_t accumulate);
int32_t archway_cpu_maxpool2d_fwd(const archway_pool2d_desc* d, const float* x, float* y);
/* Gradient goes to the first maximum of each window (recomputed from x). */
int32_t archway_cpu_maxpool2d_bwd(const archway_pool2d_desc* d, const float* x, const float* dy, float* dx,
                                  int32_t accumulate);
/* y[n, c] = mean over hw of x[n, c, hw]. */
int32_t archway_cpu_global_avgpool_fwd(const float* x, float* y, int32_t n, int32_t c, int32_t hw);
int32_t archway_cpu_global_avgpool_bwd(const float* dy, float* dx, int32_t n, int32_t c, int32_t hw,
                                       int32_t accumulate);

/* ---------------------------------------------------------------- activations (elementwise, n elements)
 * kind: 0 relu, 1 sigmoid, 2 hswish (x relu6(x+3)/6), 3 hsigmoid (relu6(x+3)/6). Backward reads x. */
#define ARCHWAY_ACT_RELU 0
#define ARCHWAY_ACT_SIGMOID 1
#define ARCHWAY_ACT_HSWISH 2
#define ARCHWAY_ACT_HSIGMOID 3
int32_t archway_cpu_act_fwd(int32_t kind, const float* x, float* y, int64_t n);
int32_t archway_cpu_act_bwd(int32_t kind, const float* x, const float* dy, float* dx, int64_t n, int32_t accumulate);

/* ---------------------------------------------------------------- elementwise arithmetic */
int32_t archway_cpu_fill(float* y, int64_t n, float value);
int32_t archway_cpu_copy(const float* x, float* y, int64_t n);
int32_t archway_cpu_add(const float* a, const float* b, float* y, int64_t n);      /* y = a + b */
/* y = (a + b) + c in one pass: bit-identical to add(a, b) then axpy(1, c) (fma(1, c, y) rounds c + y). */
int32_t archway_cpu_add3(const float* a, const float* b, const float* c, float* y, int64_t n);
int32_t archway_cpu_axpy(float alpha, const float* x, float* y, int64_t n);        /* y += alpha x */
int32_t archway_cpu_axpby(float alpha, const float* x, float beta, float* y, int64_t n); /* y = a x + b y */
int32_t archway_cpu_scale(float* y, int64_t n, float alpha);                       /* y *= alpha */
/* y = w + sigma w eps: multiplicative Gaussian weight noise (flatness); y may alias w. */
int32_t archway_cpu_weight_noise_eps(const float* w, const float* eps, float* y, int64_t n, float sigma);
/* y = (|w| + eta)^2 g: adaptive SAM's scaled gradient direction. */
int32_t archway_cpu_asam_direction(const float* w, const float* g, float* y, int64_t n, float eta);
/* Sum of squares in double with a fixed reduction order. */
int32_t archway_cpu_sumsq(const float* x, int64_t n, double* out);
/* Dot product in double with a fixed reduction order. */
int32_t archway_cpu_dot(const float* a, const float* b, int64_t n, double* out);
/* x[n, c, hw] * s[n, c] broadcast over hw (squeeze-excite scaling). */
int32_t archway_cpu_channel_scale_fwd(const float* x, const float* s, float* y, int32_t n, int32_t c, int32_t hw);
/* dx (nullable) = dy * s; ds (nullable) = sum_hw dy * x. */
int32_t archway_cpu_channel_scale_bwd(const float* x, const float* s, const float* dy, float* dx, float* ds,
                                      int32_t n, int32_t c, int32_t hw, int32_t accumulate);

/* ---------------------------------------------------------------- mixed operation (the DARTS edge)
 * y = sum_k w[k] * xs[k] over K candidate outputs of n elements each. A null xs[k] (op "none") or
 * w[k] == 0 exactly (sparsemax) is skipped. Backward in one pass over dy:
 * dxs[k] (nullable entries) (+)= w[k] dy, dw[k] = <dy, xs[k]> (double accumulation, fixed order),
 * written or added per accumulate_dw; skipped k get dw[k] = <dy, xs[k]> only if xs[k] != null. */
int32_t archway_cpu_mixed_fwd(const float* const* xs, const float* w, int32_t k, int64_t n, float* y,
                              int32_t accumulate);
int32_t archway_cpu_mixed_bwd(const float* const* xs, const float* w, int32_t k, int64_t n, const float* dy,
                              float* const* dxs, float* dw, int32_t accumulate_dx, int32_t accumulate_dw);

/* ---------------------------------------------------------------- channel plumbing
 * Copies channels [src_c0, src_c0 + count) of src[n, src_c, hw] to channels [dst_c0, ...) of
 * dst[n, dst_c, hw]. Concat forward, slice forward and both backwards are this one kernel. */
int32_t archway_cpu_channel_copy(const float* src, float* dst, int32_t n, int32_t src_c, int32_t src_c0,
                                 int32_t dst_c, int32_t dst_c0, int32_t count, int32_t hw, int32_t accumulate);
/* y[n, c, hw] = channel shuffle of x with `groups` groups (c = groups * cpg: out channel i*groups+g
 * takes in channel g*cpg+i). inverse=1 applies the inverse permutation (its backward). */
int32_t archway_cpu_channel_shuffle(const float* x, float* y, int32_t n, int32_t c, int32_t hw, int32_t groups,
                                    int32_t inverse, int32_t accumulate);
/* Spatial window copy: y[n, c, oh, ow] = x[n, c, oh + off_h, ow + off_w], zero where outside x.
 * Backward (bwd=1) scatters dy back into dx (the factorized-reduce shift). */
int32_t archway_cpu_spatial_shift(const float* x, float* y, int32_t n, int32_t c, int32_t h, int32_t w,
                                  int32_t oh, int32_t ow, int32_t off_h, int32_t off_w, int32_t bwd,
                                  int32_t accumulate);

/* ---------------------------------------------------------------- row-wise simplex maps (alpha)
 * x[rows, cols] -> y on the simplex per row, computed on x / temperature. */
int32_t archway_cpu_softmax_rows_fwd(const float* x, float* y, int32_t rows, int32_t cols, float temperature);
int32_t archway_cpu_softmax_rows_bwd(const float* y, const float* dy, float* dx, int32_t rows, int32_t cols,
                                     float temperature, int32_t accumulate);
int32_t archway_cpu_sparsemax_rows_fwd(const float* x, float* y, int32_t rows, int32_t cols, float temperature);
int32_t archway_cpu_sparsemax_rows_bwd(const float* y, const float* dy, float* dx, int32_t rows, int32_t cols,
                                       float temperature, int32_t accumulate);

/* ---------------------------------------------------------------- loss
 * logits[n, k], labels[n] (int32 in [0, k)) -> loss = mean_i CE_i; probs[n, k] saved for backward;
 * correct = number of argmax hits (first maximum). Labels out of range => ARCHWAY_EINVAL. */
int32_t archway_cpu_softmax_xent_fwd(const float* logits, const int32_t* labels, float* probs, int32_t n,
                                     int32_t k, float* loss, int32_t* correct);
/* dlogits (+)= scale * (probs - onehot(labels)) / n */
int32_t archway_cpu_softmax_xent_bwd(const float* probs, const int32_t* labels, float* dlogits, int32_t n,
                                     int32_t k, float scale, int32_t accumulate);

/* ---------------------------------------------------------------- optimisers (flat spans)
 * SGD (PyTorch semantics): g' = g + wd w; buf = momentum buf + g'; step = nesterov ? g' + momentum buf : buf;
 * w -= lr step. */
int32_t archway_cpu_sgd_step(float* w, const float* g, float* momentum_buf, int64_t n, float lr, float momentum,
                             float weight_decay, int32_t nesterov);
/* Adam (decoupled = 0, L2 added to g) or AdamW (decoupled = 1, w -= lr wd w); step t >= 1 for bias correction. */
int32_t archway_cpu_adam_step(float* w, const float* g, float* m, float* v, int64_t n, float lr, float beta1,
                              float beta2, float eps, float weight_decay, int32_t t, int32_t decoupled);

/* ---------------------------------------------------------------- two-pass reductions and their users
 * The order of archway/math/reduce.h (fixed tiles of 256 lanes, a fixed tree, then one pass over at most
 * ARCHWAY_REDUCE_MAX_TILES tile partials): bit-identical to the archway_cuda_* forms below, and to
 * themselves for any thread count. (archway_cpu_sumsq / archway_cpu_dot keep their older chunked order.) */
#define ARCHWAY_REDUCE_MAX_TILES 1024
int32_t archway_cpu_sumsq_two_pass(const float* x, int64_t n, double* out);
int32_t archway_cpu_dot_two_pass(const float* a, const float* b, int64_t n, double* out);
/* Global gradient-norm clipping: norm = sqrt(sumsq_two_pass(g)); when max_norm / (norm + 1e-6) < 1, g is
 * scaled by that factor (rounded to float). *norm (nullable) receives the norm before clipping. */
int32_t archway_cpu_clip_grad_norm(float* g, int64_t n, float max_norm, double* norm);
/* ZO-DARTS weight term <w_twin - w, g> (the difference rounded to float), two-pass order. */
int32_t archway_cpu_zo_weight_term(const float* w_twin, const float* w, const float* g, int64_t n, double* out);
/* Unit direction z = e / ||e|| with e = Philox normals (seed, purpose, step); EINVAL if ||e|| = 0. */
int32_t archway_cpu_zo_direction(float* z, int64_t d, uint64_t seed, uint32_t purpose, uint32_t step);

/* ---------------------------------------------------------------- perturbations
 * out = w + sigma w eps, eps element i of the Philox normal stream (seed, purpose, step); out may be w. */
int32_t archway_cpu_weight_noise(const float* w, float* out, int64_t n, float sigma, uint64_t seed, uint32_t purpose,
                                 uint32_t step);
/* plus = theta + mu z; minus (nullable) = theta - mu z; either may alias theta. */
int32_t archway_cpu_zo_perturb(const float* theta, const float* z, float mu, float* plus, float* minus, int64_t n);

/* ---------------------------------------------------------------- size-variable network (ZO-DARTS++)
 * Centre k x k crop of planes of big x big (big - k even). bwd = 0: dst[planes, k, k] (+)= centre of
 * src[planes, big, big]. bwd = 1: src is dcrop[planes, k, k], dst is dfull[planes, big, big]: the centre
 * (+)= dcrop, the rest zeroed (accumulate = 0) or left alone. */
int32_t archway_cpu_center_crop(const float* src, float* dst, int32_t planes, int32_t big, int32_t k, int32_t bwd,
                                int32_t accumulate);
/* y[n, c, hw] = x + b[c]; db[c] (+)= sum over n and hw of dy (one 256-lane tile per channel, reduce.h). */
int32_t archway_cpu_channel_bias_fwd(const float* x, const float* b, float* y, int32_t n, int32_t c, int32_t hw);
int32_t archway_cpu_channel_bias_bwd(const float* dy, float* db, int32_t n, int32_t c, int32_t hw, int32_t accumulate);

/* ---------------------------------------------------------------- data conversion
 * x[n, c, hw] uint8 -> y[n, c, hw] float32 = (x / 255 - mean[c]) / std[c] (the batch loader's one native
 * call per batch). std[c] must be > 0. Single-threaded by design: it runs on the loader thread. */
int32_t archway_cpu_u8_to_f32_normalize(const uint8_t* x, float* y, int64_t n, int32_t c, int64_t hw,
                                        const float* mean, const float* std);

/* ================================================================ CUDA (libarchway_cuda)
 * Same conventions, with every tensor pointer a device address and a cudaStream_t passed as void*
 * (NULL = the legacy default stream); kernels are enqueued asynchronously and return ARCHWAY_ECUDA when
 * the launch fails. Nothing here synchronises, allocates or reads device memory on the host, so every
 * call can be captured into a CUDA graph. Reductions take a caller-owned device scratch of
 * `scratch` doubles (at least k * ARCHWAY_REDUCE_MAX_TILES for k reductions) and write their results
 * to device memory. Per-element bodies and reduction orders are the archway/math headers the CPU kernels
 * use: results equal the archway_cpu_* forms named beside them (bit for bit where the header says so). */
#define ARCHWAY_MIXED_MAX_K 16

/* Devices, memory, copies (tests and tools; the CUDA backend will own its arena). */
int32_t archway_cuda_device_count(int32_t* count, char* msg, int32_t cap);
int32_t archway_cuda_device_info(int32_t index, char* name, int32_t cap, int64_t* total_mem, int32_t* major,
                                 int32_t* minor);
int32_t archway_cuda_malloc(void** ptr, int64_t bytes);
int32_t archway_cuda_free(void* ptr);
int32_t archway_cuda_memcpy_h2d(void* dst, const void* src, int64_t bytes);
int32_t archway_cuda_memcpy_d2h(void* dst, const void* src, int64_t bytes);
int32_t archway_cuda_memcpy_d2d(void* dst, const void* src, int64_t bytes, void* stream); /* save / restore */
int32_t archway_cuda_synchronize(void);

/* Philox, elementwise arithmetic and perturbations (= the archway_cpu_* of the same name). */
int32_t archway_cuda_philox_uniform(float* out, int64_t n, uint64_t seed, uint32_t purpose, uint32_t step,
                                    void* stream);
int32_t archway_cuda_philox_normal(float* out, int64_t n, uint64_t seed, uint32_t purpose, uint32_t step,
                                   void* stream);
int32_t archway_cuda_fill(float* y, int64_t n, float value, void* stream);
int32_t archway_cuda_copy(const float* x, float* y, int64_t n, void* stream);
int32_t archway_cuda_add(const float* a, const float* b, float* y, int64_t n, void* stream);
int32_t archway_cuda_axpy(float alpha, const float* x, float* y, int64_t n, void* stream);
int32_t archway_cuda_axpby(float alpha, const float* x, float beta, float* y, int64_t n, void* stream);
int32_t archway_cuda_scale(float* y, int64_t n, float alpha, void* stream);
int32_t archway_cuda_weight_noise(const float* w, float* out, int64_t n, float sigma, uint64_t seed, uint32_t purpose,
                                  uint32_t step, void* stream);
int32_t archway_cuda_weight_noise_eps(const float* w, const float* eps, float* y, int64_t n, float sigma, void* stream);
int32_t archway_cuda_asam_direction(const float* w, const float* g, float* y, int64_t n, float eta, void* stream);
int32_t archway_cuda_zo_perturb(const float* theta, const float* z, float mu, float* plus, float* minus, int64_t n,
                                void* stream);

/* Two-pass reductions: *out is a device double. */
int32_t archway_cuda_sumsq_two_pass(const float* x, int64_t n, double* out, double* scratch, int64_t scratch_len,
                                    void* stream);
int32_t archway_cuda_dot_two_pass(const float* a, const float* b, int64_t n, double* out, double* scratch,
                                  int64_t scratch_len, void* stream);
int32_t archway_cuda_zo_weight_term(const float* w_twin, const float* w, const float* g, int64_t n, double* out,
                                    double* scratch, int64_t scratch_len, void* stream);
/* norm: device double (nullable). The factor is computed and applied on the device (no host round trip). */
int32_t archway_cuda_clip_grad_norm(float* g, int64_t n, float max_norm, double* norm, double* scratch,
                                    int64_t scratch_len, void* stream);
/* A zero draw (d = 1) leaves z = NaN on the device instead of returning EINVAL (no host round trip). */
int32_t archway_cuda_zo_direction(float* z, int64_t d, uint64_t seed, uint32_t purpose, uint32_t step,
                                  double* scratch, int64_t scratch_len, void* stream);

/* Mixed op: xs / dxs are HOST arrays of k <= ARCHWAY_MIXED_MAX_K device pointers (passed to the kernel by
 * value); w, dw device. Zero weights are skipped on the device. dw[k] = <dy, xs[k]> in the two-pass
 * order (= archway_cpu_dot_two_pass, within rounding of archway_cpu_mixed_bwd's chunked order). */
int32_t archway_cuda_mixed_fwd(const float* const* xs, const float* w, int32_t k, int64_t n, float* y,
                               int32_t accumulate, void* stream);
int32_t archway_cuda_mixed_bwd(const float* const* xs, const float* w, int32_t k, int64_t n, const float* dy,
                               float* const* dxs, float* dw, int32_t accumulate_dx, int32_t accumulate_dw,
                               double* scratch, int64_t scratch_len, void* stream);

/* Simplex maps over alpha rows (one thread per row). */
int32_t archway_cuda_softmax_rows_fwd(const float* x, float* y, int32_t rows, int32_t cols, float temperature,
                                      void* stream);
int32_t archway_cuda_softmax_rows_bwd(const float* y, const float* dy, float* dx, int32_t rows, int32_t cols,
                                      float temperature, int32_t accumulate, void* stream);
int32_t archway_cuda_sparsemax_rows_fwd(const float* x, float* y, int32_t rows, int32_t cols, float temperature,
                                        void* stream);
int32_t archway_cuda_sparsemax_rows_bwd(const float* y, const float* dy, float* dx, int32_t rows, int32_t cols,
                                        float temperature, int32_t accumulate, void* stream);

/* Optimisers over flat spans. */
int32_t archway_cuda_sgd_step(float* w, const float* g, float* momentum_buf, int64_t n, float lr, float momentum,
                              float weight_decay, int32_t nesterov, void* stream);
int32_t archway_cuda_adam_step(float* w, const float* g, float* m, float* v, int64_t n, float lr, float beta1,
                               float beta2, float eps, float weight_decay, int32_t t, int32_t decoupled, void* stream);

/* Activations, channel plumbing, loss, pooling, size-variable ops. */
int32_t archway_cuda_act_fwd(int32_t kind, const float* x, float* y, int64_t n, void* stream);
int32_t archway_cuda_act_bwd(int32_t kind, const float* x, const float* dy, float* dx, int64_t n, int32_t accumulate,
                             void* stream);
int32_t archway_cuda_channel_copy(const float* src, float* dst, int32_t n, int32_t src_c, int32_t src_c0,
                                  int32_t dst_c, int32_t dst_c0, int32_t count, int32_t hw, int32_t accumulate,
                                  void* stream);
int32_t archway_cuda_channel_shuffle(const float* x, float* y, int32_t n, int32_t c, int32_t hw, int32_t groups,
                                     int32_t inverse, int32_t accumulate, void* stream);
int32_t archway_cuda_spatial_shift(const float* x, float* y, int32_t n, int32_t c, int32_t h, int32_t w, int32_t oh,
                                   int32_t ow, int32_t off_h, int32_t off_w, int32_t bwd, int32_t accumulate,
                                   void* stream);
/* labels: device int32, validated on the device: an out-of-range label makes *loss NaN (no host check).
 * scratch holds 2 n doubles (per-row loss and hit). loss / correct: device. */
int32_t archway_cuda_softmax_xent_fwd(const float* logits, const int32_t* labels, float* probs, int32_t n, int32_t k,
                                      float* loss, int32_t* correct, double* scratch, int64_t scratch_len,
                                      void* stream);
int32_t archway_cuda_softmax_xent_bwd(const float* probs, const int32_t* labels, float* dlogits, int32_t n, int32_t k,
                                      float scale, int32_t accumulate, void* stream);
int32_t archway_cuda_avgpool2d_fwd(const archway_pool2d_desc* d, const float* x, float* y, void* stream);
int32_t archway_cuda_avgpool2d_bwd(const archway_pool2d_desc* d, const float* dy, float* dx, int32_t accumulate,
                                   void* stream);
int32_t archway_cuda_center_crop(const float* src, float* dst, int32_t planes, int32_t big, int32_t k, int32_t bwd,
                                 int32_t accumulate, void* stream);
int32_t archway_cuda_channel_bias_fwd(const float* x, const float* b, float* y, int32_t n, int32_t c, int32_t hw,
                                      void* stream);
int32_t archway_cuda_channel_bias_bwd(const float* dy, float* db, int32_t n, int32_t c, int32_t hw, int32_t accumulate,
                                      void* stream);

#ifdef __cplusplus
}
#endif
#endif /* ARCHWAY_H */
