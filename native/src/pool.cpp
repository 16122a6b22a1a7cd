// Average / max pooling over windows and global average pooling. Parallel over (n, c) planes; the
// backward passes scatter within a plane, so planes never race.
#include <string.h>
#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif
#include <algorithm>
#include <vector>
#include "archway.h"
#include "archway/math/pool.h"
#include "reduce.h"
#include "scratch.h"

namespace {

// The descriptor must be self-consistent, or windows could leave the image.
bool valid(const archway_pool2d_desc* d) {
  return d != nullptr && archway::pool_shape_valid(d->n, d->c, d->h, d->w, d->kh, d->kw, d->stride_h, d->stride_w,
                                                   d->pad_h, d->pad_w, d->oh, d->ow, d->count_include_pad);
}

archway::PoolWindow window(const archway_pool2d_desc* d, int i, int j) {
  return archway::pool_window(i, j, d->h, d->w, d->kh, d->kw, d->stride_h, d->stride_w, d->pad_h, d->pad_w,
                              d->count_include_pad);
}

int64_t planes(const archway_pool2d_desc* d) { return (int64_t)d->n * d->c; }
bool big(const archway_pool2d_desc* d) { return planes(d) * d->h * d->w >= archway::kParallelMin; }

// Stride-1 average pooling (the 3x3 "same" pool of NB201 / DARTS cells) as row sweeps the compiler
// vectorises over output columns. Every output (input cell) receives exactly the terms of the generic
// loops, in the same order, so results are bit-identical to them:
//  forward: y(i, j) = (sum over window rows r, then columns c ascending, from 0) * inv_count(i, j);
//  backward: dx(r, c) += g(i, j) for (i, j) in (i, j)-lexicographic order (columns swept with the
//  kernel offset descending, so j ascends for a fixed dx cell).
bool unit_stride(const archway_pool2d_desc* d) { return d->stride_h == 1 && d->stride_w == 1; }

float* row_scratch(int which, int64_t n) {
  thread_local archway::Scratch bufs[2];
  return bufs[which].grow(n);
}

// 1/count of every output window (oh x ow), computed once per call: the division per output cost
// more than the sums (3x3 windows at 32x32 and below).
std::vector<float> inv_counts(const archway_pool2d_desc* d) {
  std::vector<float> inv((size_t)d->oh * d->ow);
  for (int i = 0; i < d->oh; ++i)
    for (int j = 0; j < d->ow; ++j) inv[(size_t)i * d->ow + j] = window(d, i, j).inv_count;
  return inv;
}

#if defined(__AVX512F__)
// Lanes [0, n) of a 16-lane mask (n may be <= 0 or >= 16).
inline __mmask16 first_lanes(int n) { return n <= 0 ? 0 : (n >= 16 ? 0xFFFF : (__mmask16)((1u << n) - 1)); }

// The same sums held in registers, 16 output columns at a time: each window term is a masked add
// (lanes whose column falls outside the image are left untouched, as the row sweeps skip them), in
// the row sweeps' order, so the bits are theirs. One pass over the row instead of kh * kw sweeps
// through a scratch row.
void avgpool_fwd_s1_avx512(const archway_pool2d_desc* d, const float* inv, const float* xp, float* yp) {
  for (int i = 0; i < d->oh; ++i) {
    const archway::PoolWindow rows = window(d, i, 0);
    for (int j0 = 0; j0 < d->ow; j0 += 16) {
      const __mmask16 out = first_lanes(d->ow - j0);
      __m512 acc = _mm512_setzero_ps();
      for (int r = rows.h0; r < rows.h1; ++r) {
        const float* xr = xp + (int64_t)r * d->w;
        for (int dc = 0; dc < d->kw; ++dc) {
          const int c0 = j0 + dc - d->pad_w;  // column read by lane 0
          // lanes l with 0 <= c0 + l < w and l < ow - j0
          const __mmask16 m = out & first_lanes(d->w - c0) & (__mmask16)~first_lanes(-c0);
          acc = _mm512_mask_add_ps(acc, m, acc, _mm512_maskz_loadu_ps(m, xr + c0));
        }
      }
      const int64_t o = (int64_t)i * d->ow + j0;
      _mm512_mask_storeu_ps(yp + o, out, _mm512_mul_ps(acc, _mm512_maskz_loadu_ps(out, inv + o)));
    }
  }
}

// dx(r, c) gathers g(i, j) = dy(i, j) / count(i, j) over the windows covering it, in the row sweeps'
// order (i ascending, then the kernel column descending), starting from dx's current value.
void avgpool_bwd_s1_avx512(const archway_pool2d_desc* d, const float* inv, const float* dyp, float* dxp) {
  float* g = row_scratch(1, (int64_t)d->oh * d->ow);
  for (int64_t o = 0; o < (int64_t)d->oh * d->ow; ++o) g[o] = dyp[o] * inv[o];
  for (int r = 0; r < d->h; ++r) {
    const int i0 = std::max(0, r + d->pad_h - d->kh + 1), i1 = std::min(d->oh - 1, r + d->pad_h);
    float* dxr = dxp + (int64_t)r * d->w;
    for (int c0 = 0; c0 < d->w; c0 += 16) {
      const __mmask16 in = first_lanes(d->w - c0);
      __m512 acc = _mm512_maskz_loadu_ps(in, dxr + c0);
      for (int i = i0; i <= i1; ++i) {
        const float* gr = g + (int64_t)i * d->ow;
        for (int dc = d->kw - 1; dc >= 0; --dc) {
          const int j0 = c0 - dc + d->pad_w;  // output column feeding lane 0
          const __mmask16 m = in & first_lanes(d->ow - j0) & (__mmask16)~first_lanes(-j0);
          acc = _mm512_mask_add_ps(acc, m, acc, _mm512_maskz_loadu_ps(m, gr + j0));
        }
      }
      _mm512_mask_storeu_ps(dxr + c0, in, acc);
    }
  }
}
#endif

void avgpool_fwd_s1(const archway_pool2d_desc* d, const float* inv, const float* xp, float* yp) {
#if defined(__AVX512F__)
  return avgpool_fwd_s1_avx512(d, inv, xp, yp);
#endif
  float* acc = row_scratch(0, d->ow);
  for (int i = 0; i < d->oh; ++i) {
    const archway::PoolWindow rows = window(d, i, 0);
    for (int j = 0; j < d->ow; ++j) acc[j] = 0.0f;
    for (int r = rows.h0; r < rows.h1; ++r) {
      const float* xr = xp + (int64_t)r * d->w;
      for (int dc = 0; dc < d->kw; ++dc) {
        const int off = dc - d->pad_w;  // column read by output j: j + off
        const int jlo = std::max(0, -off), jhi = std::min(d->ow, d->w - off);
        for (int j = jlo; j < jhi; ++j) acc[j] += xr[j + off];
      }
    }
    float* yr = yp + (int64_t)i * d->ow;
    const float* ir = inv + (int64_t)i * d->ow;
    for (int j = 0; j < d->ow; ++j) yr[j] = acc[j] * ir[j];
  }
}

void avgpool_bwd_s1(const archway_pool2d_desc* d, const float* inv, const float* dyp, float* dxp) {
#if defined(__AVX512F__)
  return avgpool_bwd_s1_avx512(d, inv, dyp, dxp);
#endif
  float* g = row_scratch(1, d->ow);
  for (int i = 0; i < d->oh; ++i) {
    const archway::PoolWindow rows = window(d, i, 0);
    const float* dyr = dyp + (int64_t)i * d->ow;
    const float* ir = inv + (int64_t)i * d->ow;
    for (int j = 0; j < d->ow; ++j) g[j] = dyr[j] * ir[j];
    for (int r = rows.h0; r < rows.h1; ++r) {
      float* dxr = dxp + (int64_t)r * d->w;
      for (int dc = d->kw - 1; dc >= 0; --dc) {
        const int off = dc - d->pad_w;
        const int jlo = std::max(0, -off), jhi = std::min(d->ow, d->w - off);
        for (int j = jlo; j < jhi; ++j) dxr[j + off] += g[j];
      }
    }
  }
}

// Non-overlapping full windows (stride = kernel, no padding: the 2x2 / 2 pool of the NB201 reduction
// block): every window has kh kw cells inside, and every input cell lies in one window or none. Row
// sweeps over the output columns, in the generic loops' order: forward y(i, j) = (0 + the window's cells
// by rows, then columns) * 1 / (kh kw); backward dx(r, c) = (0, or dx when accumulating) + dy(i, j) / (kh kw)
// for the one covering output; cells outside every window keep 0 (or dx).
bool tiled(const archway_pool2d_desc* d) {
  return d->stride_h == d->kh && d->stride_w == d->kw && d->pad_h == 0 && d->pad_w == 0;
}

// The non-accumulating 2 x 2 backward's cells outside every window: those right of the last window in
// rows 2i and 2i + 1, and the rows below the last window row, are zero.
inline void zero_right_of_windows(const archway_pool2d_desc* d, int i, float* dxp) {
  for (int r = 2 * i; r < 2 * i + 2; ++r)
    for (int c = 2 * d->ow; c < d->w; ++c) dxp[(int64_t)r * d->w + c] = 0.0f;
}

inline void zero_below_windows(const archway_pool2d_desc* d, float* dxp) {
  for (int r = d->oh * 2; r < d->h; ++r) memset(dxp + (int64_t)r * d->w, 0, sizeof(float) * d->w);
}

#if defined(__AVX512F__)
// The 2 x 2 windows 16 outputs at a time: the two input rows loaded as 32 columns, split into even and
// odd columns by permutes, added in the row sweeps' order ((((0 + x00) + x01) + x10) + x11) * 1/4, so
// the bits are theirs. The backward duplicates each dy * 1/4 into its two columns by permutes.
void avgpool2_fwd_tiled_avx512(const archway_pool2d_desc* d, const float* xp, float* yp) {
  const __m512i even = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
  const __m512i odd = _mm512_set_epi32(31, 29, 27, 25, 23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1);
  const __m512 inv = _mm512_set1_ps(window(d, 0, 0).inv_count), zero = _mm512_setzero_ps();
  for (int i = 0; i < d->oh; ++i)
    for (int j0 = 0; j0 < d->ow; j0 += 16) {
      const int n = std::min(16, d->ow - j0);  // outputs, reading 2n input columns
      const __mmask16 lo = first_lanes(2 * n), hi = first_lanes(2 * n - 16), out = first_lanes(n);
      __m512 acc = zero;
      for (int r = 2 * i; r < 2 * i + 2; ++r) {
        const float* xr = xp + (int64_t)r * d->w + 2 * j0;
        const __m512 a = _mm512_maskz_loadu_ps(lo, xr), b = _mm512_maskz_loadu_ps(hi, xr + 16);
        acc = _mm512_add_ps(_mm512_add_ps(acc, _mm512_permutex2var_ps(a, even, b)), _mm512_permutex2var_ps(a, odd, b));
      }
      _mm512_mask_storeu_ps(yp + (int64_t)i * d->ow + j0, out, _mm512_mul_ps(acc, inv));
    }
}

void avgpool2_bwd_tiled_avx512(const archway_pool2d_desc* d, const float* dyp, float* dxp, bool accumulate) {
  const __m512i lo_idx = _mm512_set_epi32(7, 7, 6, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1, 0, 0);
  const __m512i hi_idx = _mm512_set_epi32(15, 15, 14, 14, 13, 13, 12, 12, 11, 11, 10, 10, 9, 9, 8, 8);
  const __m512 inv = _mm512_set1_ps(window(d, 0, 0).inv_count), zero = _mm512_setzero_ps();
  for (int i = 0; i < d->oh; ++i) {
    for (int j0 = 0; j0 < d->ow; j0 += 16) {
      const int n = std::min(16, d->ow - j0);
      const __mmask16 lo = first_lanes(2 * n), hi = first_lanes(2 * n - 16);
      const __m512 g = _mm512_mul_ps(_mm512_maskz_loadu_ps(first_lanes(n), dyp + (int64_t)i * d->ow + j0), inv);
      const __m512 g0 = _mm512_permutex2var_ps(g, lo_idx, g), g1 = _mm512_permutex2var_ps(g, hi_idx, g);
      for (int r = 2 * i; r < 2 * i + 2; ++r) {
        float* dxr = dxp + (int64_t)r * d->w + 2 * j0;
        const __m512 b0 = accumulate ? _mm512_maskz_loadu_ps(lo, dxr) : zero;
        const __m512 b1 = accumulate ? _mm512_maskz_loadu_ps(hi, dxr + 16) : zero;
        _mm512_mask_storeu_ps(dxr, lo, _mm512_add_ps(b0, g0));
        _mm512_mask_storeu_ps(dxr + 16, hi, _mm512_add_ps(b1, g1));
      }
    }
    if (!accumulate) zero_right_of_windows(d, i, dxp);
  }
  if (!accumulate) zero_below_windows(d, dxp);
}
#endif

#if defined(__AVX2__) && !defined(__AVX512F__)
// The same 2 x 2 windows in the AVX2 build, 8 outputs at a time: even and odd columns of the 16 inputs
// by an in-lane shuffle and a cross-lane permute, added in the row sweeps' order, so the bits are theirs.
inline __m256i first_lanes8(int n) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

inline __m256 columns(__m256 a, __m256 b, bool odd) {  // [a0 a2 a4 a6 b0 b2 b4 b6], or the odd ones
  const __m256 s = odd ? _mm256_shuffle_ps(a, b, 0xDD) : _mm256_shuffle_ps(a, b, 0x88);
  return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(s), 0xD8));
}

void avgpool2_fwd_tiled_avx2(const archway_pool2d_desc* d, const float* xp, float* yp) {
  const __m256 inv = _mm256_set1_ps(window(d, 0, 0).inv_count);
  for (int i = 0; i < d->oh; ++i)
    for (int j0 = 0; j0 < d->ow; j0 += 8) {
      const int n = std::min(8, d->ow - j0);  // outputs, reading 2n input columns
      const __m256i lo = first_lanes8(2 * n), hi = first_lanes8(2 * n - 8);
      __m256 acc = _mm256_setzero_ps();
      for (int r = 2 * i; r < 2 * i + 2; ++r) {
        const float* xr = xp + (int64_t)r * d->w + 2 * j0;
        const __m256 a = _mm256_maskload_ps(xr, lo), b = _mm256_maskload_ps(xr + 8, hi);
        acc = _mm256_add_ps(_mm256_add_ps(acc, columns(a, b, false)), columns(a, b, true));
      }
      _mm256_maskstore_ps(yp + (int64_t)i * d->ow + j0, first_lanes8(n), _mm256_mul_ps(acc, inv));
    }
}

void avgpool2_bwd_tiled_avx2(const archway_pool2d_desc* d, const float* dyp, float* dxp, bool accumulate) {
  const __m256 inv = _mm256_set1_ps(window(d, 0, 0).inv_count), zero = _mm256_setzero_ps();
  for (int i = 0; i < d->oh; ++i) {
    for (int j0 = 0; j0 < d->ow; j0 += 8) {
      const int n = std::min(8, d->ow - j0);
      const __m256i lo = first_lanes8(2 * n), hi = first_lanes8(2 * n - 8);
      const __m256 g = _mm256_mul_ps(_mm256_maskload_ps(dyp + (int64_t)i * d->ow + j0, first_lanes8(n)), inv);
      // [g0 g0 g1 g1 g2 g2 g3 g3] and [g4 g4 ... g7 g7]
      const __m256 l = _mm256_unpacklo_ps(g, g), h = _mm256_unpackhi_ps(g, g);
      const __m256 g0 = _mm256_permute2f128_ps(l, h, 0x20), g1 = _mm256_permute2f128_ps(l, h, 0x31);
      for (int r = 2 * i; r < 2 * i + 2; ++r) {
        float* dxr = dxp + (int64_t)r * d->w + 2 * j0;
        const __m256 b0 = accumulate ? _mm256_maskload_ps(dxr, lo) : zero;
        const __m256 b1 = accumulate ? _mm256_maskload_ps(dxr + 8, hi) : zero;
        _mm256_maskstore_ps(dxr, lo, _mm256_add_ps(b0, g0));
        _mm256_maskstore_ps(dxr + 8, hi, _mm256_add_ps(b1, g1));
      }
    }
    if (!accumulate) zero_right_of_windows(d, i, dxp);
  }
  if (!accumulate) zero_below_windows(d, dxp);
}
#endif

void avgpool_fwd_tiled(const archway_pool2d_desc* d, const float* xp, float* yp) {
#if defined(__AVX512F__)
  if (d->kh == 2 && d->kw == 2) return avgpool2_fwd_tiled_avx512(d, xp, yp);
#elif defined(__AVX2__)
  if (d->kh == 2 && d->kw == 2) return avgpool2_fwd_tiled_avx2(d, xp, yp);
#endif
  float* acc = row_scratch(0, d->ow);
  const int kw = d->kw;
  const float inv = window(d, 0, 0).inv_count;
  for (int i = 0; i < d->oh; ++i) {
    for (int j = 0; j < d->ow; ++j) acc[j] = 0.0f;
    for (int r = i * d->kh; r < (i + 1) * d->kh; ++r) {
      const float* xr = xp + (int64_t)r * d->w;
      if (kw == 2) {
        for (int j = 0; j < d->ow; ++j) acc[j] = (acc[j] + xr[2 * j]) + xr[2 * j + 1];
      } else {
        for (int j = 0; j < d->ow; ++j)
          for (int c = 0; c < kw; ++c) acc[j] += xr[j * kw + c];
      }
    }
    float* yr = yp + (int64_t)i * d->ow;
    for (int j = 0; j < d->ow; ++j) yr[j] = acc[j] * inv;
  }
}

void avgpool_bwd_tiled(const archway_pool2d_desc* d, const float* dyp, float* dxp, bool accumulate) {
#if defined(__AVX512F__)
  if (d->kh == 2 && d->kw == 2) return avgpool2_bwd_tiled_avx512(d, dyp, dxp, accumulate);
#elif defined(__AVX2__)
  if (d->kh == 2 && d->kw == 2) return avgpool2_bwd_tiled_avx2(d, dyp, dxp, accumulate);
#endif
  float* g = row_scratch(1, d->ow);
  const int kw = d->kw, covered = d->ow * kw;
  const float inv = window(d, 0, 0).inv_count;
  for (int i = 0; i < d->oh; ++i) {
    const float* dyr = dyp + (int64_t)i * d->ow;
    for (int j = 0; j < d->ow; ++j) g[j] = dyr[j] * inv;
    for (int r = i * d->kh; r < (i + 1) * d->kh; ++r) {
      float* dxr = dxp + (int64_t)r * d->w;
      if (accumulate) {
        for (int j = 0; j < d->ow; ++j)
          for (int c = 0; c < kw; ++c) dxr[j * kw + c] += g[j];
      } else {
        for (int j = 0; j < d->ow; ++j)
          for (int c = 0; c < kw; ++c) dxr[j * kw + c] = 0.0f + g[j];
        for (int c = covered; c < d->w; ++c) dxr[c] = 0.0f;
      }
    }
  }
  if (!accumulate)
    for (int r = d->oh * d->kh; r < d->h; ++r) memset(dxp + (int64_t)r * d->w, 0, sizeof(float) * d->w);
}

}  // namespace

extern "C" {

int32_t archway_cpu_avgpool2d_fwd(const archway_pool2d_desc* d, const float* x, float* y) {
  if (!valid(d) || x == nullptr || y == nullptr) return ARCHWAY_EINVAL;
  const int64_t in_sz = (int64_t)d->h * d->w, out_sz = (int64_t)d->oh * d->ow;
  const std::vector<float> inv = unit_stride(d) ? inv_counts(d) : std::vector<float>();
#pragma omp parallel for schedule(static) if (big(d))
  for (int64_t p = 0; p < planes(d); ++p) {
    const float* xp = x + p * in_sz;
    float* yp = y + p * out_sz;
    if (unit_stride(d)) {
      avgpool_fwd_s1(d, inv.data(), xp, yp);
      continue;
    }
    if (tiled(d)) {
      avgpool_fwd_tiled(d, xp, yp);
      continue;
    }
    for (int i = 0; i < d->oh; ++i)
      for (int j = 0; j < d->ow; ++j)
        yp[i * d->ow + j] = archway::avgpool_fwd_at(xp, i, j, d->h, d->w, d->kh, d->kw, d->stride_h, d->stride_w,
                                                    d->pad_h, d->pad_w, d->count_include_pad);
  }
  return ARCHWAY_OK;
}

int32_t archway_cpu_avgpool2d_bwd(const archway_pool2d_desc* d, const float* dy, float* dx, int32_t accumulate) {
  if (!valid(d) || dy == nullptr || dx == nullptr) return ARCHWAY_EINVAL;
  const int64_t in_sz = (int64_t)d->h * d->w, out_sz = (int64_t)d->oh * d->ow;
  const std::vector<float> inv = unit_stride(d) ? inv_counts(d) : std::vector<float>();
#pragma omp parallel for schedule(static) if (big(d))
  for (int64_t p = 0; p < planes(d); ++p) {
    const float* dyp = dy + p * out_sz;
    float* dxp = dx + p * in_sz;
    if (tiled(d)) {
      avgpool_bwd_tiled(d, dyp, dxp, accumulate != 0);
      continue;
    }
    if (!accumulate) memset(dxp, 0, sizeof(float) * in_sz);
    if (unit_stride(d)) {
      avgpool_bwd_s1(d, inv.data(), dyp, dxp);
      continue;
    }
    for (int i = 0; i < d->oh; ++i)
      for (int j = 0; j < d->ow; ++j) {
        const archway::PoolWindow win = window(d, i, j);
        const float g = dyp[i * d->ow + j] * win.inv_count;
        for (int r = win.h0; r < win.h1; ++r)
          for (int c = win.w0; c < win.w1; ++c) dxp[r * d->w + c] += g;
      }
  }
  return ARCHWAY_OK;
}

int32_t archway_cpu_maxpool2d_fwd(const archway_pool2d_desc* d, const float* x, float* y) {
  if (!valid(d) || x == nullptr || y == nullptr) return ARCHWAY_EINVAL;
  const int64_t in_sz = (int64_t)d->h * d->w, out_sz = (int64_t)d->oh * d->ow;
#pragma omp parallel for schedule(static) if (big(d))
  for (int64_t p = 0; p < planes(d); ++p) {
    const float* xp = x + p * in_sz;
    float* yp = y + p * out_sz;
    for (int i = 0; i < d->oh; ++i)
      for (int j = 0; j < d->ow; ++j) yp[i * d->ow + j] = xp[archway::pool_argmax(xp, d->w, window(d, i, j))];
  }
  return ARCHWAY_OK;
}

int32_t archway_cpu_maxpool2d_bwd(const archway_pool2d_desc* d, const float* x, const float* dy, float* dx,
                                  int32_t accumulate) {
  if (!valid(d) || x == nullptr || dy == nullptr || dx == nullptr) return ARCHWAY_EINVAL;
  const int64_t in_sz = (int64_t)d->h * d->w, out_sz = (int64_t)d->oh * d->ow;
#pragma omp parallel for schedule(static) if (big(d))
  for (int64_t p = 0; p < planes(d); ++p) {
    const float* xp = x + p * in_sz;
    const float* dyp = dy + p * out_sz;
    float* dxp = dx + p * in_sz;
    if (!accumulate) memset(dxp, 0, sizeof(float) * in_sz);
    for (int i = 0; i < d->oh; ++i)
      for (int j = 0; j < d->ow; ++j) dxp[archway::pool_argmax(xp, d->w, window(d, i, j))] += dyp[i * d->ow + j];
  }
  return ARCHWAY_OK;
}

int32_t archway_cpu_global_avgpool_fwd(const float* x, float* y, int32_t n, int32_t c, int32_t hw) {
  if (n < 1 || c < 1 || hw < 1 || x == nullptr || y == nullptr) return ARCHWAY_EINVAL;
  const int64_t pl = (int64_t)n * c;
#pragma omp parallel for schedule(static) if (pl * hw >= archway::kParallelMin)
  for (int64_t p = 0; p < pl; ++p) {
    const float* xp = x + p * hw;
    y[p] = (float)(archway::lane_sum(hw, [xp](int64_t i) { return (double)xp[i]; }) / (double)hw);
  }
  return ARCHWAY_OK;
}

int32_t archway_cpu_global_avgpool_bwd(const float* dy, float* dx, int32_t n, int32_t c, int32_t hw,
                                       int32_t accumulate) {
  if (n < 1 || c < 1 || hw < 1 || dy == nullptr || dx == nullptr) return ARCHWAY_EINVAL;
  const int64_t pl = (int64_t)n * c;
#pragma omp parallel for schedule(static) if (pl * hw >= archway::kParallelMin)
  for (int64_t p = 0; p < pl; ++p) {
    const float g = dy[p] / (float)hw;
    float* dxp = dx + p * hw;
    if (accumulate)
      for (int32_t i = 0; i < hw; ++i) dxp[i] += g;
    else
      for (int32_t i = 0; i < hw; ++i) dxp[i] = g;
  }
  return ARCHWAY_OK;
}

}  // extern "C"
