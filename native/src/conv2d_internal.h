// Pieces shared by the convolution translation units: argument checks, im2col / col2im rows and the
// direct depthwise kernels. Not part of the ABI.
#ifndef ARCHWAY_NATIVE_CONV2D_INTERNAL_H
#define ARCHWAY_NATIVE_CONV2D_INTERNAL_H

#include <cstdint>

#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif

#include "archway.h"

// The wide kernels (any width and stride, see fwd_wide in conv2d.cpp) exist in the avx512 and avx2 builds, and
// with them the vectorised Winograd kernels.
#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
#define ARCHWAY_WIDE_KERNELS 1
#endif

namespace archway::conv {

// Late threads. With a passive OpenMP wait policy (or libgomp's default once its spin count runs out)
// the team's other threads sleep between parallel regions and wake some 20-30 us after the region
// starts (this 2-vCPU VM). Loops whose work units do not depend on which thread runs them (a
// forward or data gradient writes each image's outputs alone) take their images dynamically, so the
// thread that is already running takes more of them instead of the region waiting for the late one.
// Results are the same bits for any assignment. Weight gradients keep static per-thread partials:
// their sums are fixed by which images a partial holds.

// The weight gradients keep one partial sum per thread and add them in thread order; below this many
// values per partial the adds run on the calling thread. A parallel region cost more than the adds there:
// with passive waiting 40-80 us a call (Winograd at 16 and 32 channels, 28x28 and 14x14; the strided
// reductions' gather 50-140 us), equal when threads spin; F(4x4) at 64 x 64 channels (147 K values) stays
// parallel, serial it was ~60 us slower with spinning threads.
constexpr int64_t kSerialPartialsMax = 1 << 16;

// Short row copies (8..64 floats): a libc memcpy call costs more than the copy itself. Masked on every
// step, because GCC turns a plain copy loop back into a memmove call.
inline void copy_floats(float* __restrict dst, const float* __restrict src, int64_t n) {
#if defined(__AVX512F__)
  for (int64_t i = 0; i < n; i += 16) {
    const int64_t r = n - i;
    const __mmask16 m = r >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << r) - 1);
    _mm512_mask_storeu_ps(dst + i, m, _mm512_maskz_loadu_ps(m, src + i));
  }
#else
  for (int64_t i = 0; i < n; ++i) dst[i] = src[i];
#endif
}

// The vector operations shared by the kernels written once for both vector builds: 16 lanes (avx512)
// or 8 (avx2); masks over lanes [lo, hi).
#if defined(__AVX512F__)
struct VecOps {
  static constexpr int kLanes = 16;
  using V = __m512;
  using M = __mmask16;
  static V zero() { return _mm512_setzero_ps(); }
  static V load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, V v) { _mm512_storeu_ps(p, v); }
  static V set1(float a) { return _mm512_set1_ps(a); }
  static V add(V a, V b) { return _mm512_add_ps(a, b); }
  static V sub(V a, V b) { return _mm512_sub_ps(a, b); }
  static V mul(V a, V b) { return _mm512_mul_ps(a, b); }
  static V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static M mask(int lo, int hi) { return (M)((0xFFFFu << lo) & (0xFFFFu >> (16 - hi))); }
  static V maskload(M m, const float* p) { return _mm512_maskz_loadu_ps(m, p); }
  static void maskstore(M m, float* p, V v) { _mm512_mask_storeu_ps(p, m, v); }
  // v * relu_grad(x) for the lanes of m (others not read): the fused input ReLU's backward, multiplied as
  // the ReLU kernel does, so the bits (signed zeros included) are the unfused ones.
  static V relu_grad_times(V v, const float* xm, M m) {
    const __mmask16 pos = _mm512_mask_cmp_ps_mask(m, _mm512_maskz_loadu_ps(m, xm), _mm512_setzero_ps(), _CMP_GT_OQ);
    return _mm512_mul_ps(v, _mm512_maskz_mov_ps(pos, _mm512_set1_ps(1.0f)));
  }
  // p[l * stride] for the kLanes lanes l.
  static V gather(const float* p, int stride) {
    const __m512i idx = _mm512_mullo_epi32(_mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
                                           _mm512_set1_epi32(stride));
    return _mm512_mask_i32gather_ps(_mm512_setzero_ps(), (__mmask16)0xFFFF, idx, p, 4);
  }
};
#elif defined(__AVX2__) && defined(__FMA__)
struct VecOps {
  static constexpr int kLanes = 8;
  using V = __m256;
  using M = __m256i;
  static V zero() { return _mm256_setzero_ps(); }
  static V load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, V v) { _mm256_storeu_ps(p, v); }
  static V set1(float a) { return _mm256_set1_ps(a); }
  static V add(V a, V b) { return _mm256_add_ps(a, b); }
  static V sub(V a, V b) { return _mm256_sub_ps(a, b); }
  static V mul(V a, V b) { return _mm256_mul_ps(a, b); }
  static V fma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  static M mask(int lo, int hi) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_and_si256(_mm256_cmpgt_epi32(lane, _mm256_set1_epi32(lo - 1)),
                            _mm256_cmpgt_epi32(_mm256_set1_epi32(hi), lane));
  }
  static V maskload(M m, const float* p) { return _mm256_maskload_ps(p, m); }
  static void maskstore(M m, float* p, V v) { _mm256_maskstore_ps(p, m, v); }
  static V relu_grad_times(V v, const float* xm, M m) {
    const V pos = _mm256_cmp_ps(_mm256_maskload_ps(xm, m), _mm256_setzero_ps(), _CMP_GT_OQ);
    return _mm256_mul_ps(v, _mm256_and_ps(pos, _mm256_set1_ps(1.0f)));
  }
  static V gather(const float* p, int stride) {
    const __m256i idx = _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32(stride));
    return _mm256_i32gather_ps(p, idx, 4);
  }
};
#endif

#if defined(__AVX512F__)
// In-register transpose of a 16 x 16 block: v[i] lane j becomes v[j] lane i. (GCC 12 warns wrongly about
// the unpack intrinsics' undefined pass-through operand, its bug 105593.)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
inline void transpose16(__m512 v[16]) {
  __m512 t[16];
  for (int i = 0; i < 8; ++i) {  // 2 x 2 blocks of floats
    t[2 * i] = _mm512_unpacklo_ps(v[2 * i], v[2 * i + 1]);
    t[2 * i + 1] = _mm512_unpackhi_ps(v[2 * i], v[2 * i + 1]);
  }
  for (int i = 0; i < 4; ++i) {  // 4 x 4 blocks within each 128-bit lane
    const __m512d a = _mm512_castps_pd(t[4 * i]), b = _mm512_castps_pd(t[4 * i + 1]);
    const __m512d c = _mm512_castps_pd(t[4 * i + 2]), e = _mm512_castps_pd(t[4 * i + 3]);
    v[4 * i] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, c));
    v[4 * i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, c));
    v[4 * i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(b, e));
    v[4 * i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(b, e));
  }
  for (int i = 0; i < 4; ++i) {  // then the 4 x 4 matrix of 128-bit lanes, in two rounds
    t[i] = _mm512_shuffle_f32x4(v[i], v[i + 4], 0x88);
    t[i + 4] = _mm512_shuffle_f32x4(v[i], v[i + 4], 0xDD);
    t[i + 8] = _mm512_shuffle_f32x4(v[i + 8], v[i + 12], 0x88);
    t[i + 12] = _mm512_shuffle_f32x4(v[i + 8], v[i + 12], 0xDD);
  }
  for (int i = 0; i < 4; ++i) {
    v[i] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0x88);
    v[i + 8] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0xDD);
    v[i + 4] = _mm512_shuffle_f32x4(t[i + 4], t[i + 12], 0x88);
    v[i + 12] = _mm512_shuffle_f32x4(t[i + 4], t[i + 12], 0xDD);
  }
}
#pragma GCC diagnostic pop

// Channel planes to channels-last rows: c planes of h x w floats (plane stride `plane`) into
// dst[iy * drow + ix * cs + ci] (cs: floats per pixel, c when 0), 16 channels x 16 columns at a time
// through transpose16 (c % 16 == 0).
// relu: the fused input ReLU on the way (max(v, 0): relu_fwd bit for bit, NaN and -0 give +0).
inline void planes_to_hwc(const float* src, int64_t plane, int c, int h, int w, float* dst, int64_t drow,
                          bool relu, int cs = 0) {
  if (cs == 0) cs = c;
  const __m512 zero = _mm512_setzero_ps();
  for (int c0 = 0; c0 < c; c0 += 16)
    for (int iy = 0; iy < h; ++iy)
      for (int ix0 = 0; ix0 < w; ix0 += 16) {
        const int n = w - ix0 < 16 ? w - ix0 : 16;
        const __mmask16 mk = (__mmask16)(n == 16 ? 0xFFFFu : (1u << n) - 1);
        const float* s = src + c0 * plane + (int64_t)iy * w + ix0;
        __m512 v[16];
        for (int i = 0; i < 16; ++i) v[i] = _mm512_maskz_loadu_ps(mk, s + i * plane);
        transpose16(v);
        float* d = dst + iy * drow + (int64_t)ix0 * cs + c0;
        for (int j = 0; j < n; ++j)
          _mm512_storeu_ps(d + (int64_t)j * cs, relu ? _mm512_maskz_max_ps((__mmask16)0xFFFF, v[j], zero) : v[j]);
      }
}

// The inverse, as a kernel's final store: channels-last src[iy * srow + ix * cs + ci] into c planes of
// h x w (plane stride `plane`), y (+)= v, where with mask (x of a fused ReLU, laid out as y) v is first
// multiplied by relu_grad(mask), as the ReLU backward kernel multiplies.
inline void hwc_to_planes(const float* src, int64_t srow, int c, int h, int w, float* y, int64_t plane,
                          const float* mask, bool accumulate, int cs = 0) {
  if (cs == 0) cs = c;
  const __m512 zero = _mm512_setzero_ps(), one = _mm512_set1_ps(1.0f);
  for (int c0 = 0; c0 < c; c0 += 16)
    for (int iy = 0; iy < h; ++iy)
      for (int ix0 = 0; ix0 < w; ix0 += 16) {
        const int n = w - ix0 < 16 ? w - ix0 : 16;
        const __mmask16 mk = (__mmask16)(n == 16 ? 0xFFFFu : (1u << n) - 1);
        const float* s = src + iy * srow + (int64_t)ix0 * cs + c0;
        __m512 v[16];
        for (int j = 0; j < 16; ++j) v[j] = j < n ? _mm512_loadu_ps(s + (int64_t)j * cs) : zero;
        transpose16(v);
        for (int i = 0; i < 16; ++i) {
          const int64_t off = (int64_t)(c0 + i) * plane + (int64_t)iy * w + ix0;
          __m512 t = v[i];
          if (mask != nullptr) {
            const __mmask16 pos = _mm512_mask_cmp_ps_mask(mk, _mm512_maskz_loadu_ps(mk, mask + off), zero, _CMP_GT_OQ);
            t = _mm512_mul_ps(t, _mm512_maskz_mov_ps(pos, one));
          }
          if (accumulate) t = _mm512_add_ps(_mm512_maskz_loadu_ps(mk, y + off), t);
          _mm512_mask_storeu_ps(y + off, mk, t);
        }
      }
}
#endif

#if !defined(__AVX512F__) && defined(__AVX2__)
// In-register transpose of an 8 x 8 block: v[i] lane j becomes v[j] lane i.
inline void transpose8(__m256 v[8]) {
  __m256 t[8], u[8];
  for (int i = 0; i < 4; ++i) {
    t[2 * i] = _mm256_unpacklo_ps(v[2 * i], v[2 * i + 1]);
    t[2 * i + 1] = _mm256_unpackhi_ps(v[2 * i], v[2 * i + 1]);
  }
  for (int i = 0; i < 2; ++i) {
    u[4 * i] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], 0x44);
    u[4 * i + 1] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], 0xEE);
    u[4 * i + 2] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0x44);
    u[4 * i + 3] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0xEE);
  }
  for (int i = 0; i < 4; ++i) {
    v[i] = _mm256_permute2f128_ps(u[i], u[i + 4], 0x20);
    v[i + 4] = _mm256_permute2f128_ps(u[i], u[i + 4], 0x31);
  }
}

// hwc_to_planes of the avx512 build with 8 x 8 blocks (c % 8 == 0).
inline void hwc_to_planes(const float* src, int64_t srow, int c, int h, int w, float* y, int64_t plane,
                          const float* mask, bool accumulate, int cs = 0) {
  if (cs == 0) cs = c;
  const __m256 zero = _mm256_setzero_ps(), one = _mm256_set1_ps(1.0f);
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  for (int c0 = 0; c0 < c; c0 += 8)
    for (int iy = 0; iy < h; ++iy)
      for (int ix0 = 0; ix0 < w; ix0 += 8) {
        const int n = w - ix0 < 8 ? w - ix0 : 8;
        const __m256i mk = _mm256_cmpgt_epi32(_mm256_set1_epi32(n), lane);
        const float* s = src + iy * srow + (int64_t)ix0 * cs + c0;
        __m256 v[8];
        for (int j = 0; j < 8; ++j) v[j] = j < n ? _mm256_loadu_ps(s + (int64_t)j * cs) : zero;
        transpose8(v);
        for (int i = 0; i < 8; ++i) {
          const int64_t off = (int64_t)(c0 + i) * plane + (int64_t)iy * w + ix0;
          __m256 t = v[i];
          if (mask != nullptr) {
            const __m256 pos = _mm256_cmp_ps(_mm256_maskload_ps(mask + off, mk), zero, _CMP_GT_OQ);
            t = _mm256_mul_ps(t, _mm256_and_ps(pos, one));
          }
          if (accumulate) t = _mm256_add_ps(_mm256_maskload_ps(y + off, mk), t);
          _mm256_maskstore_ps(y + off, mk, t);
        }
      }
}

// planes_to_hwc of the avx512 build with 8 x 8 blocks (c % 8 == 0).
inline void planes_to_hwc(const float* src, int64_t plane, int c, int h, int w, float* dst, int64_t drow,
                          bool relu, int cs = 0) {
  if (cs == 0) cs = c;
  const __m256 zero = _mm256_setzero_ps();
  for (int c0 = 0; c0 < c; c0 += 8)
    for (int iy = 0; iy < h; ++iy)
      for (int ix0 = 0; ix0 < w; ix0 += 8) {
        const int n = w - ix0 < 8 ? w - ix0 : 8;
        const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        const __m256i mk = _mm256_cmpgt_epi32(_mm256_set1_epi32(n), lane);
        const float* s = src + c0 * plane + (int64_t)iy * w + ix0;
        __m256 v[8];
        for (int i = 0; i < 8; ++i) v[i] = _mm256_maskload_ps(s + i * plane, mk);
        transpose8(v);
        float* d = dst + iy * drow + (int64_t)ix0 * cs + c0;
        for (int j = 0; j < n; ++j) _mm256_storeu_ps(d + (int64_t)j * cs, relu ? _mm256_max_ps(v[j], zero) : v[j]);
      }
}
#endif

#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
// The channel planes of a tensor that may be two tensors side by side in channel order: channels [0, k1)
// of image b in `first` ([n][k1][plane]), channels [k1, k) in `second` ([n][k - k1][plane]). Sibling
// convolutions (one input, two filters) run as one convolution with k1 + k2 output channels: their
// outputs, and in backward their output gradients, are such a pair. k1 == k: one tensor. A split falls
// on a whole vector of channels (k1 % VecOps::kLanes == 0), as the HWC transposes move such blocks.
struct ChannelPlanes {
  float* first;
  float* second;
  int k, k1;
  int64_t plane;
  static ChannelPlanes one(const float* p, int k, int64_t plane) { return {const_cast<float*>(p), nullptr, k, k, plane}; }
  static ChannelPlanes two(const float* a, const float* b, int k, int k1, int64_t plane) {
    return {const_cast<float*>(a), const_cast<float*>(b), k, k1, plane};
  }
  bool split() const { return k1 < k; }
  float* at(int64_t b, int ch) const {
    return ch < k1 ? first + (b * k1 + ch) * plane : second + (b * (k - k1) + ch - k1) * plane;
  }
};

// planes_to_hwc of image b of src (h x w planes), each part into its channels of the pixel.
inline void planes_to_hwc(const ChannelPlanes& src, int64_t b, int h, int w, float* dst, int64_t drow, bool relu) {
  planes_to_hwc(src.at(b, 0), src.plane, src.k1, h, w, dst, drow, relu, src.k);
  if (src.split()) planes_to_hwc(src.at(b, src.k1), src.plane, src.k - src.k1, h, w, dst + src.k1, drow, relu, src.k);
}

// hwc_to_planes into image b of y; mask (laid out as y, for a fused ReLU's backward) only when y is one
// tensor.
inline void hwc_to_planes(const float* src, int64_t srow, const ChannelPlanes& y, int64_t b, int h, int w,
                          const float* mask, bool accumulate) {
  hwc_to_planes(src, srow, y.k1, h, w, y.at(b, 0), y.plane, mask, accumulate, y.k);
  if (y.split()) hwc_to_planes(src + y.k1, srow, y.k - y.k1, h, w, y.at(b, y.k1), y.plane, nullptr, accumulate, y.k);
}
#endif

// Second line of defence behind Conv2dDesc: positive sizes, divisible groups, consistent oh / ow.
bool valid(const archway_conv2d_desc* d);

// The three passes, with the fused input ReLU (forward, filter: relu; data: relu_x = its input) or not.
int32_t forward(const archway_conv2d_desc& d, int32_t algo, bool relu, const float* x, const float* weight, float* y);
int32_t backward_data(const archway_conv2d_desc& d, int32_t algo, const float* relu_x, const float* dy,
                      const float* weight, float* dx, bool accumulate);
int32_t backward_filter(const archway_conv2d_desc& d, int32_t algo, bool relu, const float* x, const float* dy,
                        float* dweight, bool accumulate);
// The algorithm the automatic path takes for d (ARCHWAY_CONV_BWD_DATA_* / ARCHWAY_CONV_BWD_FILTER_*), or
// ARCHWAY_EINVAL when algo does not apply to d in this build; AUTO resolves to the choice (for the data
// gradient, of the call with or without a fused ReLU).
int32_t data_algo(const archway_conv2d_desc& d, int32_t algo, bool fused_relu = false);
int32_t filter_algo(const archway_conv2d_desc& d, int32_t algo);
// The forward algorithm the automatic path takes for d (an ARCHWAY_CONV_ALGO_* > 0).
int32_t auto_algo(const archway_conv2d_desc& d);
// The data gradient of a stride-1 convolution as a forward convolution of dy: the "full" convolution
// with the flipped, transposed filters, pad' = dil*(k-1) - pad (see backward_data).
archway_conv2d_desc flipped(const archway_conv2d_desc& d);
// Those filters, W'[ci][ko][t'] = W[ko][ci][taps-1-t'], in the calling thread's scratch.
const float* flipped_filters(const archway_conv2d_desc& d, const float* weight);

// Values of im2col row (channel plane xc, tap ty, tx) for output positions j in [j0, j1)
// (j = oy * ow + ox) into out[0 .. j1 - j0); zero where the tap reads padding.
void im2col_row(const archway_conv2d_desc& d, const float* xc, int ty, int tx, int64_t j0, int64_t j1, float* out);

// Inverse of im2col_row: adds in[j - j0] into the channel plane dxc wherever the tap reads the image.
void col2im_row(const archway_conv2d_desc& d, float* dxc, int ty, int tx, int64_t j0, int64_t j1, const float* in);

// Direct kernels for c / groups == 1 (depthwise, any channel multiplier k / groups).
void depthwise_fwd(const archway_conv2d_desc& d, const float* x, const float* weight, float* y);
void depthwise_bwd_data(const archway_conv2d_desc& d, const float* dy, const float* weight, float* dx, bool accumulate);
void depthwise_bwd_filter(const archway_conv2d_desc& d, const float* x, const float* dy, float* dweight,
                          bool accumulate);

// Winograd F(2x2, 3x3) forward (conv2d_winograd.cpp): 3x3, stride 1, dilation 1, groups 1, any padding.
bool winograd_ok(const archway_conv2d_desc& d);
void winograd_fwd_scalar(const archway_conv2d_desc& d, const float* x, const float* weight, float* y);
#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
// The vectorised F(2x2, 3x3) (avx512 and avx2 builds; channels in the vector lanes): y (+)= conv(relu ?
// relu(x) : x), and with mask (x of a fused ReLU whose backward a data gradient goes through, laid out
// as y) the product multiplied by relu_grad(mask) first. Needs c % 16 == 0 and k % 16 == 0.
bool winograd_fast_ok(const archway_conv2d_desc& d);
// Whether the fast kernel puts the tiles of a tile row in the lanes (12 to 16 tiles per row) rather
// than the channels (avx512 build only).
bool winograd_rows_ok(const archway_conv2d_desc& d);
// Whether the automatic forward takes F(4x4, 3x3) (c and k >= 32, outputs at most 32 x 32).
bool winograd_f4_ok(const archway_conv2d_desc& d);
// Whether the automatic weight gradient takes F(4x4, 3x3) (any fast-path shape up to 32 x 32 outputs).
bool winograd_f4_wgrad_ok(const archway_conv2d_desc& d);
// f4: F(4x4, 3x3) (ARCHWAY_CONV_ALGO_WINOGRAD_F4), else F(2x2, 3x3).
void winograd_fwd(const archway_conv2d_desc& d, const ChannelPlanes& x, const float* weight, const ChannelPlanes& y,
                  bool accumulate, bool relu, const float* mask, bool f4);
inline void winograd_fwd(const archway_conv2d_desc& d, const float* x, const float* weight, float* y, bool accumulate,
                         bool relu, const float* mask, bool f4) {
  winograd_fwd(d, ChannelPlanes::one(x, d.c, (int64_t)d.h * d.w), weight, ChannelPlanes::one(y, d.k, (int64_t)d.oh * d.ow),
               accumulate, relu, mask, f4);
}
// The data gradient through F(4x4, 3x3): f is the flipped descriptor of the stride-1 convolution (its
// forward convolution of dy), weight the convolution's own k x c x 3 x 3 filters, read flipped in place;
// dx (+)= that, times relu_grad(relu_x) where relu_x is not null.
void winograd_bwd_data_f4(const archway_conv2d_desc& f, const ChannelPlanes& dy, const float* weight, float* dx,
                          bool accumulate, const float* relu_x);
inline void winograd_bwd_data_f4(const archway_conv2d_desc& f, const float* dy, const float* weight, float* dx,
                                 bool accumulate, const float* relu_x) {
  winograd_bwd_data_f4(f, ChannelPlanes::one(dy, f.c, (int64_t)f.h * f.w), weight, dx, accumulate, relu_x);
}
// Weight gradient through F(2x2, 3x3), or F(4x4, 3x3) with f4 (winograd_fast_ok shapes):
// dweight (+)= dW of conv(relu ? relu(x) : x).
// dy and dweight may be split (sibling convolutions): dweight's "planes" are each output channel's c x 3 x 3
// filters (one image).
void winograd_bwd_filter(const archway_conv2d_desc& d, const float* x, const ChannelPlanes& dy,
                         const ChannelPlanes& dweight, bool accumulate, bool relu, bool f4);
inline void winograd_bwd_filter(const archway_conv2d_desc& d, const float* x, const float* dy, float* dweight,
                                bool accumulate, bool relu, bool f4) {
  winograd_bwd_filter(d, x, ChannelPlanes::one(dy, d.k, (int64_t)d.oh * d.ow),
                      ChannelPlanes::one(dweight, d.k, (int64_t)d.c * 9), accumulate, relu, f4);
}
#endif

}  // namespace archway::conv

#endif
