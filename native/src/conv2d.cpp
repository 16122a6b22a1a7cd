// 2-D convolution on the CPU: im2col + packed GEMM for dense and grouped convolutions, direct
// kernels (conv2d_depthwise.cpp) when every group has one input channel.
//
//  forward      y_g[kg, N]    = W_g[kg, R] * col_g[R, N]          (R = c/groups * kh * kw, N = oh * ow)
//  data grad    dcol_g[R, N]  = W_g^T * dy_g[kg, N], then col2im  (1x1 / stride 1 / no pad: straight into dx)
//  weight grad  dW_g[kg, R]  += dy_g[kg, N] * col_g^T[N, R]       summed over the batch
//
// im2col rows are written straight into packed GEMM panels, so the column matrix is never stored
// unpacked. Parallelism: images (and column chunks when the batch is small) for forward, images for
// data grad, per-thread partial weight gradients over contiguous image ranges, summed in thread
// order, for weight grad — a fixed reduction order for a fixed thread count.
//
// Stride 1 (AVX-512) avoids im2col altogether (see fwd_direct, bwd_filter_padded): taps are read as
// contiguous slices of a zero-padded copy of the input; the data gradient is the forward convolution
// of dy with the flipped filters, summed in the GEMM + col2im order.
#include <omp.h>

#include <algorithm>
#include <array>
#include <utility>
#include <cstring>
#include <vector>

#include "archway.h"
#include "archway/cpu_caches.h"
#include "archway/math/activation.h"
#include "archway/math/conv2d.h"
#include "conv2d_internal.h"
#include "scratch.h"
#include "gemm.h"


namespace archway::conv {
namespace {

using gemm::KC;
using gemm::MR;
using gemm::NR;
using gemm::round_up;

// Thread-local scratch, grown on demand and kept for the next call.
enum Scratch { kWeights, kPanelA, kPanelB, kLine, kCol, kPartials, kPadded, kFlipped, kReluInput, kPhaseOut,
               kScratchCount };

float* scratch(Scratch which, int64_t floats) {
  thread_local archway::Scratch bufs[kScratchCount];
  return bufs[which].grow(floats);
}

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Columns per GEMM chunk: packed im2col panels that stay L2 resident (caches::gemm_chunk_floats).
// Chunks split the output columns only, so their size never changes a result.
int64_t column_chunk(int64_t rows, int64_t cols) {
  const int64_t c = std::max<int64_t>(NR, (caches::gemm_chunk_floats() / std::max<int64_t>(rows, 1)) / NR * NR);
  return std::min(c, round_up(cols, NR));
}

// Writes im2col row r (channel ci, tap ty/tx) for positions [j0, j0 + nc) into the packed B block
// layout of gemm.h (depth R, nc columns).
void pack_col_row(const archway_conv2d_desc& d, const float* xc, int r, int R, int ty, int tx, int64_t j0, int nc,
                  float* line, float* pb) {
  im2col_row(d, xc, ty, tx, j0, j0 + nc, line);
  const int64_t np = round_up(nc, NR);
  const int p0 = r / KC * KC, kc = std::min(KC, R - p0);
  float* dst = pb + p0 * np + (int64_t)(r - p0) * NR;
  for (int q = 0; q < nc; q += NR) {
    const int len = std::min(NR, nc - q);
    float* panel = dst + (int64_t)q * kc;
    copy_floats(panel, line + q, len);
    for (int j = len; j < NR; ++j) panel[j] = 0.0f;
  }
}

bool is_pointwise(const archway_conv2d_desc& d) {
  return d.kh == 1 && d.kw == 1 && d.stride_h == 1 && d.stride_w == 1 && d.pad_h == 0 && d.pad_w == 0;
}

// Stride-1, non-pointwise convolutions take the padded path: each unit copies its group's input
// planes once into a zero-padded scratch (Hp x Wp), after which every im2col row (channel ci, tap
// ty, tx) restricted to one output row is the contiguous slice xp[ci][(oy + ty*dil)*Wp + tx*dil ..]
// of length ow. The packed B panels are then filled by a few masked row copies per panel: no bounds
// checks, no zero runs, no intermediate line.
bool padded_path(const archway_conv2d_desc& d) {
  return d.stride_h == 1 && d.stride_w == 1 && !is_pointwise(d);
}

// relu(x) as the ReLU kernel computes it (archway/math/activation.h), while copying a row.
inline void relu_row(float* __restrict dst, const float* __restrict src, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dst[i] = relu_fwd(src[i]);
}

// Copies cg planes (h x w, plane stride hw) into xp with pad_h / pad_w zero borders; with relu, the
// fused input ReLU is applied on the way (relu(x) is never stored).
void pad_planes(const archway_conv2d_desc& d, int cg, const float* xg, float* xp, bool relu) {
  const int64_t Wp = d.w + 2 * d.pad_w, Hp = d.h + 2 * d.pad_h, hw = (int64_t)d.h * d.w;
#if defined(__AVX512F__)
  // Whole padded rows in 16-lane masked loads and stores: the borders are the masked-off lanes (never
  // read, stored as zeros), so a row costs a few vector moves instead of a copy plus scalar zeroing.
  // max(v, 0) is relu_fwd bit for bit (NaN and -0 give +0: vmaxps returns its second operand).
  if (d.w >= 8) {
    const __m512 zero = _mm512_setzero_ps();
    for (int ci = 0; ci < cg; ++ci) {
      float* dst = xp + ci * Hp * Wp;
      const float* src = xg + ci * hw;
      std::memset(dst, 0, sizeof(float) * d.pad_h * Wp);
      for (int iy = 0; iy < d.h; ++iy) {
        float* row = dst + (d.pad_h + iy) * Wp;
        const float* srow = src + (int64_t)iy * d.w - d.pad_w;  // padded column k reads srow[k]
        for (int64_t k0 = 0; k0 < Wp; k0 += 16) {
          const int64_t lo = std::max<int64_t>(d.pad_w - k0, 0), hi = std::min<int64_t>(d.pad_w + d.w - k0, 16);
          const __mmask16 in = lo < hi ? (__mmask16)((0xFFFFu << lo) & (0xFFFFu >> (16 - hi))) : 0;
          __m512 v = _mm512_maskz_loadu_ps(in, srow + k0);
          if (relu) v = _mm512_maskz_max_ps((__mmask16)0xFFFF, v, zero);  // (the plain form trips a GCC 12 warning)
          const __mmask16 out = (__mmask16)(Wp - k0 >= 16 ? 0xFFFFu : (1u << (Wp - k0)) - 1);
          _mm512_mask_storeu_ps(row + k0, out, v);
        }
      }
      std::memset(dst + (d.pad_h + d.h) * Wp, 0, sizeof(float) * d.pad_h * Wp);
    }
    return;
  }
#endif
  for (int ci = 0; ci < cg; ++ci) {
    float* dst = xp + ci * Hp * Wp;
    const float* src = xg + ci * hw;
    std::memset(dst, 0, sizeof(float) * d.pad_h * Wp);
    for (int iy = 0; iy < d.h; ++iy) {
      float* row = dst + (d.pad_h + iy) * Wp;
      for (int i = 0; i < d.pad_w; ++i) row[i] = 0.0f;
      if (relu)
        relu_row(row + d.pad_w, src + (int64_t)iy * d.w, d.w);
      else
        copy_floats(row + d.pad_w, src + (int64_t)iy * d.w, d.w);
      for (int i = d.pad_w + d.w; i < Wp; ++i) row[i] = 0.0f;
    }
    std::memset(dst + (d.pad_h + d.h) * Wp, 0, sizeof(float) * d.pad_h * Wp);
  }
}

#if defined(ARCHWAY_WIDE_KERNELS)
// How the wide kernels see an input channel: stride 1, the zero-padded plane (Hp x Wp); stride s > 1,
// the padded plane split into sh*sw phase planes of Hq x Wq (phase (py, px) holds padded pixel
// (qy*sh + py, qx*sw + px) at [qy][qx]). Either way tap (ty, tx) of output (oy, ox) is the element
// (oy + ty*dil_h / sh, ox + tx*dil_w / sw) of one plane, so consecutive outputs of a row are
// consecutive floats and every tap of 32 outputs at wide position p = oy*Wq + ox is a contiguous slice.
struct WideLayout {
  int64_t Hq, Wq, plane, chan;  // plane height / width / size; floats per input channel
};

WideLayout wide_layout(const archway_conv2d_desc& d) {
  const int64_t Hp = d.h + 2 * (int64_t)d.pad_h, Wp = d.w + 2 * (int64_t)d.pad_w;
  const int64_t Hq = (Hp + d.stride_h - 1) / d.stride_h, Wq = (Wp + d.stride_w - 1) / d.stride_w;
  return {Hq, Wq, Hq * Wq, (int64_t)d.stride_h * d.stride_w * Hq * Wq};
}

// Offset of im2col row r = (ci, ty, tx) in the planes of a group (wide_layout).
std::vector<int64_t> tap_offsets(const archway_conv2d_desc& d) {
  const WideLayout lay = wide_layout(d);
  const int taps = d.kh * d.kw, R = d.c / d.groups * taps;
  std::vector<int64_t> boff(R);
  for (int r = 0; r < R; ++r) {
    const int ci = r / taps, t = r % taps;
    const int iy = t / d.kw * d.dil_h, ix = t % d.kw * d.dil_w;
    const int phase = iy % d.stride_h * d.stride_w + ix % d.stride_w;
    boff[r] = ci * lay.chan + phase * lay.plane + (int64_t)(iy / d.stride_h) * lay.Wq + ix / d.stride_w;
  }
  return boff;
}

#if defined(__AVX512F__)
// Column stride 2: the even columns of one input row into even[0..], the odd ones into odd[0..] (relu:
// max(v, 0), relu_fwd bit for bit), 32 columns at a time by two permutes. The scalar strided copy this
// replaced took as long as the lanes kernel's products on a 28 -> 14 reduction.
inline void split_columns(const float* src, int w, bool relu, float* even, float* odd) {
  const __m512i ei = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
  const __m512i oi = _mm512_set_epi32(31, 29, 27, 25, 23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1);
  const __m512 zero = _mm512_setzero_ps();
  const auto first = [](int n) { return (__mmask16)(n >= 16 ? 0xFFFFu : (1u << std::max(n, 0)) - 1); };
  for (int x0 = 0; x0 < w; x0 += 32) {
    const int n = std::min(32, w - x0);
    __m512 a = _mm512_maskz_loadu_ps(first(n), src + x0), b = _mm512_maskz_loadu_ps(first(n - 16), src + x0 + 16);
    if (relu) {
      a = _mm512_maskz_max_ps((__mmask16)0xFFFF, a, zero);
      b = _mm512_maskz_max_ps((__mmask16)0xFFFF, b, zero);
    }
    _mm512_mask_storeu_ps(even + x0 / 2, first((n + 1) / 2), _mm512_permutex2var_ps(a, ei, b));
    _mm512_mask_storeu_ps(odd + x0 / 2, first(n / 2), _mm512_permutex2var_ps(a, oi, b));
  }
}
#elif defined(__AVX2__)
// The same with 8-lane vectors, 16 columns at a time (a shuffle, then a 64-bit permute).
inline void split_columns(const float* src, int w, bool relu, float* even, float* odd) {
  const __m256 zero = _mm256_setzero_ps();
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const auto first = [&](int n) { return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), lane); };
  for (int x0 = 0; x0 < w; x0 += 16) {
    const int n = std::min(16, w - x0);
    __m256 a = _mm256_maskload_ps(src + x0, first(n)), b = _mm256_maskload_ps(src + x0 + 8, first(n - 8));
    if (relu) {
      a = _mm256_max_ps(a, zero);
      b = _mm256_max_ps(b, zero);
    }
    const __m256 e = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(a, b, 0x88)), 0xD8));
    const __m256 o = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(a, b, 0xDD)), 0xD8));
    _mm256_maskstore_ps(even + x0 / 2, first((n + 1) / 2), e);
    _mm256_maskstore_ps(odd + x0 / 2, first(n / 2), o);
  }
}
#endif

// cg channels of x into the wide layout (zero borders; relu: the fused input ReLU on the way).
void fill_wide(const archway_conv2d_desc& d, int cg, const float* xg, float* xp, bool relu) {
  if (d.stride_h == 1 && d.stride_w == 1) {
    pad_planes(d, cg, xg, xp, relu);
    return;
  }
  const WideLayout lay = wide_layout(d);
  const int64_t hw = (int64_t)d.h * d.w;
  std::memset(xp, 0, sizeof(float) * cg * lay.chan);
  // Column phase px takes input columns ix = ix0(px) + k*sw (padded column ix + pad_w = px + q*sw).
  const int sw = d.stride_w;
  std::vector<int> ix0(sw), q0(sw);
  for (int px = 0; px < sw; ++px) {
    ix0[px] = ((px - d.pad_w) % sw + sw) % sw;
    q0[px] = (ix0[px] + d.pad_w) / sw;
  }
#if defined(__AVX512F__) || defined(__AVX2__)
  if (sw == 2) {
    const int pe = ix0[0] == 0 ? 0 : 1, po = 1 - pe;  // the phases holding even / odd input columns
    for (int ci = 0; ci < cg; ++ci)
      for (int iy = 0; iy < d.h; ++iy) {
        const int yp = iy + d.pad_h;
        float* rowbase = xp + ci * lay.chan + (int64_t)(yp % d.stride_h) * sw * lay.plane + (yp / d.stride_h) * lay.Wq;
        split_columns(xg + ci * hw + (int64_t)iy * d.w, d.w, relu, rowbase + (int64_t)pe * lay.plane + q0[pe],
                      rowbase + (int64_t)po * lay.plane + q0[po]);
      }
    return;
  }
#endif
  for (int ci = 0; ci < cg; ++ci)
    for (int iy = 0; iy < d.h; ++iy) {
      const int yp = iy + d.pad_h;
      const float* src = xg + ci * hw + (int64_t)iy * d.w;
      float* rowbase = xp + ci * lay.chan + (int64_t)(yp % d.stride_h) * sw * lay.plane + (yp / d.stride_h) * lay.Wq;
      for (int px = 0; px < sw; ++px) {
        float* dst = rowbase + (int64_t)px * lay.plane + q0[px];
        if (relu)
          for (int ix = ix0[px], q = 0; ix < d.w; ix += sw, ++q) dst[q] = relu_fwd(src[ix]);
        else
          for (int ix = ix0[px], q = 0; ix < d.w; ix += sw, ++q) dst[q] = src[ix];
      }
    }
}
#endif

// y_g (+)= W_g * col_g for a stride-1 convolution, weights already packed (pa, pa_size floats per
// group). Same work split as the generic path.
void fwd_padded(const archway_conv2d_desc& d, const float* x, const float* pa, int64_t pa_size, float* y,
                bool accumulate, bool relu) {
  const int G = d.groups, cg = d.c / G, kg = d.k / G, taps = d.kh * d.kw, R = cg * taps;
  const int64_t N = (int64_t)d.oh * d.ow, hw = (int64_t)d.h * d.w;
  const int64_t Wp = d.w + 2 * d.pad_w, Hp = d.h + 2 * d.pad_h, plane = Hp * Wp;
  const int threads = omp_get_max_threads();
  int64_t ncol = column_chunk(R, N);
  const int64_t per_chunk = (int64_t)d.n * G;
  if (per_chunk < threads) ncol = std::min(ncol, round_up(ceil_div(N, ceil_div(threads, per_chunk)), NR));
  const int64_t chunks = ceil_div(N, ncol), units = per_chunk * chunks;
  // Segments of one panel: at most NR / ow + 2 output-row pieces.
  const int max_segs = NR / std::max(1, d.ow) + 2;

#pragma omp parallel
  {
    int64_t have = -1;  // (image, group) whose padded planes are in xp
    float* xp = scratch(kPadded, (int64_t)cg * plane);
    std::vector<int> seg_dst, seg_len;
    std::vector<int64_t> seg_src;
    std::vector<int> seg_count;
#pragma omp for schedule(static) nowait  // the region's end joins the team
    for (int64_t u = 0; u < units; ++u) {
      const int64_t b = u / (G * chunks);
      const int g = (int)(u / chunks % G);
      const int64_t j0 = u % chunks * ncol;
      const int nc = (int)std::min(ncol, N - j0);
      const int64_t np = round_up(nc, NR), panels = np / NR;
      float* pb = scratch(kPanelB, (int64_t)R * np);
      if (have != b * G + g) {
        pad_planes(d, cg, x + ((int64_t)b * d.c + (int64_t)g * cg) * hw, xp, relu);
        have = b * G + g;
      }
      // Row pieces of every panel (shared by all im2col rows).
      seg_dst.resize(panels * max_segs);
      seg_len.resize(panels * max_segs);
      seg_src.resize(panels * max_segs);
      seg_count.assign(panels, 0);
      for (int64_t q = 0; q < panels; ++q) {
        const int len = (int)std::min<int64_t>(NR, nc - q * NR);
        int64_t j = j0 + q * NR;
        int filled = 0, s = 0;
        while (filled < len) {
          const int64_t oy = j / d.ow, ox = j - oy * d.ow;
          const int sl = (int)std::min<int64_t>(d.ow - ox, len - filled);
          seg_dst[q * max_segs + s] = filled;
          seg_len[q * max_segs + s] = sl;
          seg_src[q * max_segs + s] = oy * Wp + ox;
          ++s;
          filled += sl;
          j += sl;
        }
        seg_count[q] = s;
      }
      for (int r = 0; r < R; ++r) {
        const int ci = r / taps, t = r % taps;
        const float* src = xp + ci * plane + (int64_t)(t / d.kw) * d.dil_h * Wp + (int64_t)(t % d.kw) * d.dil_w;
        const int p0 = r / KC * KC, kc = std::min(KC, R - p0);
        float* dst = pb + p0 * np + (int64_t)(r - p0) * NR;
        for (int64_t q = 0; q < panels; ++q) {
          float* panel = dst + q * NR * kc;
          const int* sd = &seg_dst[q * max_segs];
          const int* sl = &seg_len[q * max_segs];
          const int64_t* ss = &seg_src[q * max_segs];
          int filled = 0;
          for (int s = 0; s < seg_count[q]; ++s) {
            copy_floats(panel + sd[s], src + ss[s], sl[s]);
            filled = sd[s] + sl[s];
          }
          for (int e = filled; e < NR; ++e) panel[e] = 0.0f;
        }
      }
      gemm::gemm_packed(kg, nc, R, pa + g * pa_size, pb, y + ((int64_t)b * d.k + (int64_t)g * kg) * N + j0, N,
                        accumulate);
    }
  }
}


#if defined(ARCHWAY_WIDE_KERNELS)
// Weights W_g[kg][R] of every group as MR-row panels over the full depth: wp[g][panel][r][i], rows past
// kg zero. Thread-0 scratch, read by the whole team.
const float* weight_panels(const archway_conv2d_desc& d, const float* wmat) {
  const int G = d.groups, kg = d.k / G, R = d.c / G * d.kh * d.kw;
  const int kp = (int)(round_up(kg, MR) / MR);
  const int64_t wg_size = (int64_t)kp * R * MR;
  float* wp = scratch(kWeights, wg_size * G);
  for (int g = 0; g < G; ++g)
    for (int q = 0; q < kp; ++q)
      for (int r = 0; r < R; ++r)
        for (int i = 0; i < MR; ++i) {
          const int ko = q * MR + i;
          wp[g * wg_size + ((int64_t)q * R + r) * MR + i] = ko < kg ? wmat[((int64_t)g * kg + ko) * R + r] : 0.0f;
        }
  return wp;
}

// The wide kernels' tile: MR rows x kVecs vectors of positions (avx512: 8 x 32, avx2: 4 x 24, 12
// accumulators of its 16 registers).
struct WideVec : VecOps {
#if defined(__AVX512F__)
  static constexpr int kVecs = 2;
#else
  static constexpr int kVecs = 3;
#endif
};
constexpr int kWideTile = WideVec::kLanes * WideVec::kVecs;  // positions per tile
#endif

#if defined(__AVX512F__)
// Direct stride-1 convolution without any B packing: a register tile of MR output channels x 32
// consecutive output positions (two 16-lane vectors) is accumulated over r = (ci, ty, tx), each B
// vector loaded straight from the padded planes (L1 resident around the current output rows). Needs
// every 16-lane vector to map onto padded memory with at most two runs: ow % 16 == 0 (one run) or
// ow == 8 (two rows, two masked loads), and N % 32 == 0. Without padding (1x1) x is read in place.
bool direct_ok(const archway_conv2d_desc& d) {
  return d.stride_h == 1 && d.stride_w == 1 && (d.ow % 16 == 0 || d.ow == 8) && ((int64_t)d.oh * d.ow) % 32 == 0;
}

template <bool Half>
inline void direct_tile(int R, const float* __restrict w, const float* __restrict xp, const int64_t* __restrict boff,
                        const int64_t* s, float* y, int64_t ldy, int mr, bool accumulate) {
  __m512 acc[MR][2];
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i) acc[i][0] = acc[i][1] = _mm512_setzero_ps();
  const int64_t s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3];
  for (int r = 0; r < R; ++r) {
    const float* b = xp + boff[r];
    __m512 b0, b1;
    if constexpr (Half) {
      b0 = _mm512_mask_loadu_ps(_mm512_maskz_loadu_ps(0x00FF, b + s0), 0xFF00, b + s1 - 8);
      b1 = _mm512_mask_loadu_ps(_mm512_maskz_loadu_ps(0x00FF, b + s2), 0xFF00, b + s3 - 8);
    } else {
      b0 = _mm512_loadu_ps(b + s0);
      b1 = _mm512_loadu_ps(b + s1);
    }
    const float* a = w + (int64_t)r * MR;
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i) {
      const __m512 ai = _mm512_set1_ps(a[i]);
      acc[i][0] = _mm512_fmadd_ps(ai, b0, acc[i][0]);
      acc[i][1] = _mm512_fmadd_ps(ai, b1, acc[i][1]);
    }
  }
  for (int i = 0; i < mr; ++i) {
    float* row = y + i * ldy;
    if (accumulate) {
      acc[i][0] = _mm512_add_ps(acc[i][0], _mm512_loadu_ps(row));
      acc[i][1] = _mm512_add_ps(acc[i][1], _mm512_loadu_ps(row + 16));
    }
    _mm512_storeu_ps(row, acc[i][0]);
    _mm512_storeu_ps(row + 16, acc[i][1]);
  }
}

// Data-gradient order (taps_order > 0): the sum over r = (ko, t') is taken as the im2col + col2im
// path did it, sum over t = taps-1-t' ascending of (FMA chain over ko), so dx is bit-identical to the
// GEMM + col2im formulation for kg <= KC. MR rows x one 16-lane vector (acc + per-tap partials).
template <bool Half>
inline void direct_tile_taps(int R, int taps, const float* __restrict w, const float* __restrict xp,
                             const int64_t* __restrict boff, int64_t s0, int64_t s1, float* y, int64_t ldy, int mr,
                             bool accumulate, const float* mask) {
  // With a mask (fused ReLU backward) the gradient is formed first and then added, as unfused.
  const bool preload = accumulate && mask == nullptr;
  __m512 acc[MR];
  for (int i = 0; i < MR; ++i) acc[i] = preload && i < mr ? _mm512_loadu_ps(y + i * ldy) : _mm512_setzero_ps();
  const int kin = R / taps;
  for (int tf = taps - 1; tf >= 0; --tf) {
    __m512 part[MR];
    for (int i = 0; i < MR; ++i) part[i] = _mm512_setzero_ps();
    for (int ko = 0; ko < kin; ++ko) {
      const int r = ko * taps + tf;
      const float* b = xp + boff[r];
      __m512 bv;
      if constexpr (Half)
        bv = _mm512_mask_loadu_ps(_mm512_maskz_loadu_ps(0x00FF, b + s0), 0xFF00, b + s1 - 8);
      else
        bv = _mm512_loadu_ps(b + s0);
      const float* a = w + (int64_t)r * MR;
#pragma GCC unroll 8
      for (int i = 0; i < MR; ++i) part[i] = _mm512_fmadd_ps(_mm512_set1_ps(a[i]), bv, part[i]);
    }
    for (int i = 0; i < MR; ++i) acc[i] = _mm512_add_ps(acc[i], part[i]);
  }
  for (int i = 0; i < mr; ++i) {
    __m512 v = acc[i];
    if (mask != nullptr) {
      v = WideVec::relu_grad_times(v, mask + i * ldy, 0xFFFF);
      if (accumulate) v = _mm512_add_ps(_mm512_loadu_ps(y + i * ldy), v);
    }
    _mm512_storeu_ps(y + i * ldy, v);
  }
}

// y_g (+)= W_g * col_g, W_g row-major [kg][R] (wmat holds all groups), direct_ok(d).
// relu: the fused input ReLU (applied in the padded copy, made for it even without padding). mask
// (taps order only): x of the fused ReLU whose backward this data gradient goes through, laid out as y.
void fwd_direct(const archway_conv2d_desc& d, const float* x, const float* wmat, float* y, bool accumulate,
                bool relu, bool taps_order = false, const float* mask = nullptr) {
  const int G = d.groups, cg = d.c / G, kg = d.k / G, taps = d.kh * d.kw, R = cg * taps;
  const int64_t N = (int64_t)d.oh * d.ow, hw = (int64_t)d.h * d.w;
  const int64_t Wp = d.w + 2 * d.pad_w, Hp = d.h + 2 * d.pad_h, plane = Hp * Wp;
  const int kp = (int)(round_up(kg, MR) / MR);
  const int64_t wg_size = (int64_t)kp * R * MR;
  const float* wp = weight_panels(d, wmat);
  const std::vector<int64_t> boff = tap_offsets(d);
  const int threads = omp_get_max_threads();
  const int64_t tiles = N / 32, per_chunk = (int64_t)d.n * G;
  const int64_t chunks = per_chunk < threads ? std::min<int64_t>(tiles, ceil_div(threads, per_chunk)) : 1;
  const int64_t units = per_chunk * chunks;
  const bool half = d.ow == 8;
  // Without padding x is read in place, unless the fused ReLU needs its copy.
  const bool nopad = d.pad_h == 0 && d.pad_w == 0 && !relu;

#pragma omp parallel
  {
    int64_t have = -1;
    float* xp = nopad ? nullptr : scratch(kPadded, (int64_t)cg * plane);
#pragma omp for schedule(static) nowait  // the region's end joins the team
    for (int64_t u = 0; u < units; ++u) {
      const int64_t b = u / (G * chunks);
      const int g = (int)(u / chunks % G);
      const int64_t c = u % chunks, t0 = tiles * c / chunks, t1 = tiles * (c + 1) / chunks;
      const float* xg = x + ((int64_t)b * d.c + (int64_t)g * cg) * hw;
      if (nopad) {
        xp = const_cast<float*>(xg);  // read only
      } else if (have != b * G + g) {
        pad_planes(d, cg, xg, xp, relu);
        have = b * G + g;
      }
      float* yg = y + ((int64_t)b * d.k + (int64_t)g * kg) * N;
      const float* wg = wp + g * wg_size;
      for (int64_t tl = t0; tl < t1; ++tl) {
        const int64_t j = tl * 32;
        int64_t s[4];
        if (half) {
          for (int e = 0; e < 4; ++e) s[e] = (j / 8 + e) * Wp;
        } else {
          for (int e = 0; e < 2; ++e) {
            const int64_t jj = j + 16 * e, oy = jj / d.ow;
            s[e] = oy * Wp + (jj - oy * d.ow);
          }
          s[2] = s[3] = 0;
        }
        for (int q = 0; q < kp; ++q) {
          const int mr = std::min(MR, kg - q * MR);
          float* yt = yg + (int64_t)q * MR * N + j;
          if (taps_order) {
            const float* wq = wg + (int64_t)q * R * MR;
            const float* mt = mask == nullptr ? nullptr : mask + (yt - y);
            if (half) {
              direct_tile_taps<true>(R, taps, wq, xp, boff.data(), s[0], s[1], yt, N, mr, accumulate, mt);
              direct_tile_taps<true>(R, taps, wq, xp, boff.data(), s[2], s[3], yt + 16, N, mr, accumulate,
                                     mt == nullptr ? nullptr : mt + 16);
            } else {
              direct_tile_taps<false>(R, taps, wq, xp, boff.data(), s[0], 0, yt, N, mr, accumulate, mt);
              direct_tile_taps<false>(R, taps, wq, xp, boff.data(), s[1], 0, yt + 16, N, mr, accumulate,
                                      mt == nullptr ? nullptr : mt + 16);
            }
          } else if (half)
            direct_tile<true>(R, wg + (int64_t)q * R * MR, xp, boff.data(), s, yt, N, mr, accumulate);
          else
            direct_tile<false>(R, wg + (int64_t)q * R * MR, xp, boff.data(), s, yt, N, mr, accumulate);
        }
      }
    }
  }
}
#endif

#if defined(ARCHWAY_WIDE_KERNELS)

// Direct stride-1 convolution for any output width. Output positions are enumerated over the padded
// width, p = oy * Wp + ox with ox < Wp, so that tap (ci, ty, tx) of a tile of consecutive positions is
// one contiguous slice of the zero-padded planes, xp[boff[r] + p], whatever ow is. Lanes with
// ox >= ow (Wp - ow of every Wp) are computed and dropped: the stores are masked to the valid runs of
// each vector. The depth is cut into KC blocks and each block is added to y as the packed GEMM
// does (y = blk0 [+ y]; y += blk1; ...), with the FMA chain over r in the same order, so the result is
// bit-identical to the padded path (ARCHWAY_CONV_ALGO_PADDED) for every shape.
// Any stride: strided shapes read phase planes (wide_layout), so a strided convolution is as direct
// as a stride-1 one; 1x1 stride-1 convolutions are left to the direct kernel or the GEMM.
bool wide_ok(const archway_conv2d_desc& d) { return padded_path(d) || d.stride_h > 1 || d.stride_w > 1; }

// Whether the automatic path takes the wide kernel. In the avx2 build only when at most a tenth of the
// lanes are dropped columns: its 4 x 24 tile has no margin for them (measured against padded, 2 threads:
// faster at 28 px and on the strided reductions, even at 14 px, slower at 7 px; bench/results/NOTES.md).
bool wide_preferred(const archway_conv2d_desc& d) {
#if defined(__AVX512F__)
  return wide_ok(d);
#else
  // Strided kernels (phase planes filled by vector shuffles): wide ahead of im2col even with the 8-lane
  // vectors' dropped columns (avx2, 2 threads, batch 64: 14 -> 7 px 1.39 against 1.74 ms, 7 -> 4 px 2.09
  // against 2.25 ms).
  return wide_ok(d) && ((int64_t)d.ow * 10 >= wide_layout(d).Wq * 9 ||
                        (!is_pointwise(d) && (d.stride_h > 1 || d.stride_w > 1)));
#endif
}

// The valid lanes [lo, hi) of one vector and the output index of lane lo.
struct LaneRun {
  int lo, hi;
  int64_t out;
};

// Runs of the vector starting at wide position jv: at most kLanes (one per output row it touches).
int lane_runs(int64_t jv, int64_t Wp, int ow, int oh, LaneRun* runs) {
  constexpr int lanes = WideVec::kLanes;
  int n = 0, l = 0;
  while (l < lanes) {
    const int64_t p = jv + l, oy = p / Wp, ox = p - oy * Wp;
    if (oy >= oh) break;
    if (ox >= ow) {
      l += (int)(Wp - ox);
      continue;
    }
    const int len = (int)std::min<int64_t>(ow - ox, lanes - l);
    runs[n++] = {l, l + len, oy * ow + ox};
    l += len;
  }
  return n;
}

// Writes (add: adds to) the valid lanes of v into row: lane l of run s goes to row[s.out + l - s.lo].
// With mrow (x of a fused ReLU, laid out as row) the lanes are first multiplied by relu_grad(x).
inline void store_runs(WideVec::V v, const LaneRun* runs, int n, float* row, bool add, const float* mrow) {
  for (int s = 0; s < n; ++s) {
    const WideVec::M m = WideVec::mask(runs[s].lo, runs[s].hi);
    const int64_t off = runs[s].out - runs[s].lo;  // lanes below lo are masked off: never touched
    float* p = row + off;
    WideVec::V t = mrow == nullptr ? v : WideVec::relu_grad_times(v, mrow + off, m);
    if (add) t = WideVec::add(t, WideVec::maskload(m, p));
    WideVec::maskstore(m, p, t);
  }
}

// One MR x kWideTile tile at wide position j: y rows (stride ldy) of the mr valid output channels;
// runs / nruns: the store runs of the tile's kVecs vectors (kLanes entries each).
// With a mask (fused ReLU backward) and more than one KC block, the blocks are summed in a tile
// first and the masked gradient added once, as the unfused GEMM + ReLU backward do.
inline void wide_tile(int R, const float* __restrict w, const float* __restrict xj, const int64_t* __restrict boff,
                      const LaneRun* runs, const int* nruns, float* y, int64_t ldy, int mr, bool accumulate,
                      const float* mask) {
  using W = WideVec;
  constexpr int NV = W::kVecs, NL = W::kLanes;
  alignas(64) float tile[MR][kWideTile];
  const bool in_tile = mask != nullptr && R > KC;
  for (int p0 = 0; p0 < R; p0 += KC) {
    const int p1 = std::min(R, p0 + KC);
    W::V acc[MR][NV];
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i)
      for (int h = 0; h < NV; ++h) acc[i][h] = W::zero();
    for (int r = p0; r < p1; ++r) {
      const float* b = xj + boff[r];
      W::V bv[NV];
      for (int h = 0; h < NV; ++h) bv[h] = W::load(b + NL * h);
      const float* a = w + (int64_t)r * MR;
#pragma GCC unroll 8
      for (int i = 0; i < MR; ++i) {
        const W::V ai = W::set1(a[i]);
        for (int h = 0; h < NV; ++h) acc[i][h] = W::fma(ai, bv[h], acc[i][h]);
      }
    }
    if (in_tile) {
      for (int i = 0; i < mr; ++i)
        for (int h = 0; h < NV; ++h) {
          W::V t = acc[i][h];
          if (p0 > 0) t = W::add(t, W::load(&tile[i][NL * h]));
          if (p0 + KC < R) {
            std::memcpy(&tile[i][NL * h], &t, sizeof(t));
          } else {
            store_runs(t, runs + NL * h, nruns[h], y + i * ldy, accumulate, mask + i * ldy);
          }
        }
      continue;
    }
    const bool add = accumulate || p0 > 0;
    for (int i = 0; i < mr; ++i) {
      const float* mrow = mask == nullptr ? nullptr : mask + i * ldy;
      for (int h = 0; h < NV; ++h) store_runs(acc[i][h], runs + NL * h, nruns[h], y + i * ldy, add, mrow);
    }
  }
}

// y_g (+)= W_g * col_g over wide positions, W_g row-major [kg][R], wide_ok(d). Same work split as
// fwd_direct: (image, group) units, cut into position chunks when there are fewer units than threads.
// relu: the fused input ReLU; mask: x of the fused ReLU whose backward this data gradient goes
// through, laid out as y (or null).
void fwd_wide(const archway_conv2d_desc& d, const float* x, const float* wmat, float* y, bool accumulate, bool relu,
              const float* mask = nullptr) {
  const int G = d.groups, cg = d.c / G, kg = d.k / G, R = cg * d.kh * d.kw;
  const int64_t N = (int64_t)d.oh * d.ow, hw = (int64_t)d.h * d.w;
  const WideLayout lay = wide_layout(d);
  const int64_t Wp = lay.Wq, chan = lay.chan;
  const int kp = (int)(round_up(kg, MR) / MR);
  const int64_t wg_size = (int64_t)kp * R * MR;
  const float* wp = weight_panels(d, wmat);
  const std::vector<int64_t> boff = tap_offsets(d);
  // Wide positions up to the last valid one; the last tile reads up to a tile past the planes
  // (the last tap of the last output is the last element of its plane): zeroed slack.
  constexpr int T = kWideTile, NV = WideVec::kVecs, NL = WideVec::kLanes;
  const int64_t L = (int64_t)(d.oh - 1) * Wp + d.ow, tiles = ceil_div(L, T);
  const int64_t padded_floats = (int64_t)cg * chan + T;
  const int threads = omp_get_max_threads();
  const int64_t per_chunk = (int64_t)d.n * G;
  const int64_t chunks = per_chunk < threads ? std::min<int64_t>(tiles, ceil_div(threads, per_chunk)) : 1;
  const int64_t units = per_chunk * chunks;

  // The store runs of every tile's vectors, once per call (they depend on the tile only).
  std::vector<LaneRun> runs((size_t)tiles * T);
  std::vector<int> nruns((size_t)tiles * NV);
  for (int64_t tl = 0; tl < tiles; ++tl)
    for (int h = 0; h < NV; ++h)
      nruns[tl * NV + h] = lane_runs(tl * T + NL * h, Wp, d.ow, d.oh, &runs[(size_t)(tl * NV + h) * NL]);

#pragma omp parallel
  {
    int64_t have = -1;
    float* xp = scratch(kPadded, padded_floats);
    std::memset(xp + cg * chan, 0, sizeof(float) * T);
#pragma omp for schedule(static) nowait  // the region's end joins the team
    for (int64_t u = 0; u < units; ++u) {
      const int64_t b = u / (G * chunks);
      const int g = (int)(u / chunks % G);
      const int64_t c = u % chunks, t0 = tiles * c / chunks, t1 = tiles * (c + 1) / chunks;
      if (have != b * G + g) {
        fill_wide(d, cg, x + ((int64_t)b * d.c + (int64_t)g * cg) * hw, xp, relu);
        have = b * G + g;
      }
      float* yg = y + ((int64_t)b * d.k + (int64_t)g * kg) * N;
      const float* mg = mask == nullptr ? nullptr : mask + (yg - y);
      const float* wg = wp + g * wg_size;
      for (int64_t tl = t0; tl < t1; ++tl) {
        const int64_t j = tl * T;
        for (int q = 0; q < kp; ++q) {
          const int mr = std::min(MR, kg - q * MR);
          wide_tile(R, wg + (int64_t)q * R * MR, xp + j, boff.data(), &runs[(size_t)tl * T], &nruns[tl * NV],
                    yg + (int64_t)q * MR * N, N, mr, accumulate, mg == nullptr ? nullptr : mg + (int64_t)q * MR * N);
        }
      }
    }
  }
}
#endif

#if defined(ARCHWAY_WIDE_KERNELS)
// The lanes forward's frame, shared by the vector builds: W_g^T ([g][r][ko], contiguous in the output
// channel) once per call, then per unit (image, group, block of kblock output channels; an image's units
// in one dynamic chunk, see "Late threads" in conv2d_internal.h) x in the wide layout, filled once per
// image and group, and rows(wT of the block, xp, tap offsets, offset of the block's first output plane).
template <class Rows>
void lanes_units(const archway_conv2d_desc& d, const float* x, const float* wmat, bool relu, int kblock, Rows rows) {
  const int G = d.groups, cg = d.c / G, kg = d.k / G, R = cg * d.kh * d.kw;
  const int64_t N = (int64_t)d.oh * d.ow, hw = (int64_t)d.h * d.w;
  const WideLayout lay = wide_layout(d);
  float* wT = scratch(kWeights, (int64_t)G * R * kg);
  for (int g = 0; g < G; ++g)
    for (int ko = 0; ko < kg; ++ko)
      for (int r = 0; r < R; ++r) wT[((int64_t)g * R + r) * kg + ko] = wmat[((int64_t)g * kg + ko) * R + r];
  const std::vector<int64_t> boff = tap_offsets(d);
  const int blocks = kg / kblock;
  const int64_t units = (int64_t)d.n * G * blocks;

#pragma omp parallel
  {
    int64_t have = -1;
    float* xp = scratch(kPadded, (int64_t)cg * lay.chan);
#pragma omp for schedule(dynamic, G * blocks) nowait
    for (int64_t u = 0; u < units; ++u) {
      const int64_t b = u / (G * blocks);
      const int g = (int)(u / blocks % G), kb = (int)(u % blocks) * kblock;
      if (have != b * G + g) {
        fill_wide(d, cg, x + ((int64_t)b * d.c + (int64_t)g * cg) * hw, xp, relu);
        have = b * G + g;
      }
      rows(wT + (int64_t)g * R * kg + kb, xp, boff.data(), ((int64_t)b * d.k + (int64_t)g * kg + kb) * N);
    }
  }
}
#endif

#if defined(__AVX512F__)
// Forward convolution with the output channels in the vector lanes, for narrow images (ow <= 14) and
// kg % 32 == 0: a tile is 32 output channels (two vectors) x one output row, so no lane is spent on the
// padded columns the wide kernel drops (at 7x7 it computes 64 lanes for 49 outputs). Per tap r: two
// weight vectors (W^T, contiguous in ko) and one broadcast input value per output of the row, read at
// fixed offsets from the row's base in the wide layout (any stride). The chain over r and the KC blocks
// are the GEMM's, so results equal `padded` / `im2col` bit for bit; the fused ReLU's backward (mask)
// is applied as in wide_tile.
bool lanes_ok(const archway_conv2d_desc& d) {
  return (d.k / d.groups) % 32 == 0 && d.ow <= 14 && !is_pointwise(d);
}

// ROWS output rows of OW positions (NP = OW * ROWS <= 14 accumulator pairs): position j reads the input
// at (j / OW) * Wq + j % OW from the tap's base and writes y[j] (the rows are consecutive in y). Two rows
// at once for narrow images halve the weight traffic per multiply (at 7x7 C64 one 32-channel block of W^T
// is 72 KiB, streamed from L2 per call).
template <int OW, int ROWS>
void lanes_row(int R, const float* __restrict wT, int64_t ldw, const float* __restrict xrow, int64_t Wq,
               const int64_t* __restrict boff, float* y, int64_t N, bool accumulate, const float* mask) {
  constexpr int NP = OW * ROWS;
  alignas(64) float part[2][NP][16];
  alignas(64) float sum[32][16];
  const bool in_tile = mask != nullptr && R > KC;
  // The epilogue runs per output channel over the row's NP positions: one gather from the accumulators
  // (lane c % 16 of each position's vector), then vector adds, ReLU masks and a masked store. The float
  // operations and their order are those of the scalar loop they replace.
  const __mmask16 row = (__mmask16)((1u << NP) - 1);
  const __m512i lane_stride = _mm512_mullo_epi32(_mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
                                                 _mm512_set1_epi32(16));
  const __m512 one = _mm512_set1_ps(1.0f), zero = _mm512_setzero_ps();
  for (int p0 = 0; p0 < R; p0 += KC) {
    const int p1 = std::min(R, p0 + KC);
    __m512 acc[2][NP];
    for (int j = 0; j < NP; ++j) acc[0][j] = acc[1][j] = _mm512_setzero_ps();
    for (int r = p0; r < p1; ++r) {
      const __m512 w0 = _mm512_loadu_ps(wT + r * ldw), w1 = _mm512_loadu_ps(wT + r * ldw + 16);
      const float* xr = xrow + boff[r];
#pragma GCC unroll 14
      for (int j = 0; j < NP; ++j) {
        const __m512 xb = _mm512_set1_ps(xr[(j / OW) * Wq + j % OW]);
        acc[0][j] = _mm512_fmadd_ps(w0, xb, acc[0][j]);
        acc[1][j] = _mm512_fmadd_ps(w1, xb, acc[1][j]);
      }
    }
    for (int j = 0; j < NP; ++j) {
      _mm512_store_ps(part[0][j], acc[0][j]);
      _mm512_store_ps(part[1][j], acc[1][j]);
    }
    const bool last = p0 + KC >= R;
    for (int c = 0; c < 32; ++c) {
      const __m512 v = _mm512_mask_i32gather_ps(zero, row, _mm512_add_epi32(lane_stride, _mm512_set1_epi32(c % 16)),
                                                &part[c / 16][0][0], 4);
      float* out = y + c * N;
      if (in_tile) {  // blocks summed aside, then one masked add, as unfused
        const __m512 s = p0 == 0 ? v : _mm512_add_ps(_mm512_load_ps(sum[c]), v);
        _mm512_store_ps(sum[c], s);
        if (last) {
          const __m512 g = _mm512_mask_blend_ps(
              _mm512_mask_cmp_ps_mask(row, _mm512_maskz_loadu_ps(row, mask + c * N), zero, _CMP_GT_OQ), zero, one);
          const __m512 t = _mm512_mul_ps(s, g);
          _mm512_mask_storeu_ps(out, row, accumulate ? _mm512_add_ps(_mm512_maskz_loadu_ps(row, out), t) : t);
        }
      } else if (mask != nullptr) {
        const __m512 g = _mm512_mask_blend_ps(
            _mm512_mask_cmp_ps_mask(row, _mm512_maskz_loadu_ps(row, mask + c * N), zero, _CMP_GT_OQ), zero, one);
        const __m512 t = _mm512_mul_ps(v, g);
        _mm512_mask_storeu_ps(out, row, accumulate ? _mm512_add_ps(_mm512_maskz_loadu_ps(row, out), t) : t);
      } else {
        _mm512_mask_storeu_ps(out, row,
                              (accumulate || p0 > 0) ? _mm512_add_ps(_mm512_maskz_loadu_ps(row, out), v) : v);
      }
    }
  }
}

using LanesRow = void (*)(int, const float*, int64_t, const float*, int64_t, const int64_t*, float*, int64_t, bool,
                          const float*);
const LanesRow kLanesRowKernels[14] = {
    lanes_row<1, 1>, lanes_row<2, 1>,  lanes_row<3, 1>,  lanes_row<4, 1>,  lanes_row<5, 1>,
    lanes_row<6, 1>, lanes_row<7, 1>,  lanes_row<8, 1>,  lanes_row<9, 1>,  lanes_row<10, 1>,
    lanes_row<11, 1>, lanes_row<12, 1>, lanes_row<13, 1>, lanes_row<14, 1>};
const LanesRow kLanesPairKernels[7] = {lanes_row<1, 2>, lanes_row<2, 2>, lanes_row<3, 2>, lanes_row<4, 2>,
                                       lanes_row<5, 2>, lanes_row<6, 2>, lanes_row<7, 2>};

// y_g (+)= W_g * col_g through lanes_row, lanes_ok(d); relu / mask as in fwd_wide.
void fwd_lanes(const archway_conv2d_desc& d, const float* x, const float* wmat, float* y, bool accumulate, bool relu,
               const float* mask = nullptr) {
  const int kg = d.k / d.groups, R = d.c / d.groups * d.kh * d.kw;
  const int64_t N = (int64_t)d.oh * d.ow;
  const int64_t Wq = wide_layout(d).Wq;
  const LanesRow row_kernel = kLanesRowKernels[d.ow - 1];
  const LanesRow pair_kernel = d.ow <= 7 ? kLanesPairKernels[d.ow - 1] : nullptr;
  lanes_units(d, x, wmat, relu, 32, [&](const float* wT, const float* xp, const int64_t* boff, int64_t off) {
    float* yb = y + off;
    const float* mb = mask == nullptr ? nullptr : mask + off;
    for (int oy = 0; oy < d.oh;) {
      const bool two = pair_kernel != nullptr && oy + 1 < d.oh;
      (two ? pair_kernel : row_kernel)(R, wT, kg, xp + oy * Wq, Wq, boff, yb + (int64_t)oy * d.ow, N, accumulate,
                                       mb == nullptr ? nullptr : mb + (int64_t)oy * d.ow);
      oy += two ? 2 : 1;
    }
  });
}
#endif

#if !defined(__AVX512F__) && defined(__AVX2__) && defined(__FMA__)
// The avx2 build's lanes kernel (forward only): a register tile is 16 output channels (two 8-lane vectors)
// x up to 6 consecutive outputs of one row (12 accumulators of the 16 registers), the row cut into
// near-equal pieces. Per tap r: two weight vectors of W^T and one broadcast input per output, read in the
// wide layout (strided shapes: phase planes). The chain over r and the KC blocks are the GEMM's, so the
// results equal `padded` / `im2col` bit for bit. Measured against `wide` (the previous choice) on the NB201
// reductions, batch 64, 2 threads: see NOTES.md.
bool lanes_ok(const archway_conv2d_desc& d) {
  return (d.k / d.groups) % 16 == 0 && d.ow <= 14 && !is_pointwise(d);
}

// NP outputs of a row (y[j], j < NP; x of output j at xrow[boff[r] + j]) for 16 channels (plane stride N).
template <int NP>
void lanes_piece(int R, const float* __restrict wT, int64_t ldw, const float* __restrict xrow,
                 const int64_t* __restrict boff, float* y, int64_t N, bool accumulate) {
  alignas(32) float part[NP][16];
  for (int p0 = 0; p0 < R; p0 += KC) {
    const int p1 = std::min(R, p0 + KC);
    __m256 acc[2][NP];
    for (int j = 0; j < NP; ++j) acc[0][j] = acc[1][j] = _mm256_setzero_ps();
    for (int r = p0; r < p1; ++r) {
      const __m256 w0 = _mm256_loadu_ps(wT + r * ldw), w1 = _mm256_loadu_ps(wT + r * ldw + 8);
      const float* xr = xrow + boff[r];
      for (int j = 0; j < NP; ++j) {
        const __m256 xb = _mm256_broadcast_ss(xr + j);
        acc[0][j] = _mm256_fmadd_ps(w0, xb, acc[0][j]);
        acc[1][j] = _mm256_fmadd_ps(w1, xb, acc[1][j]);
      }
    }
    for (int j = 0; j < NP; ++j) {
      _mm256_store_ps(part[j], acc[0][j]);
      _mm256_store_ps(part[j] + 8, acc[1][j]);
    }
    const bool add = accumulate || p0 > 0;
    for (int c = 0; c < 16; ++c) {
      float* out = y + c * N;
      for (int j = 0; j < NP; ++j) out[j] = add ? out[j] + part[j][c] : part[j][c];
    }
  }
}

using LanesPiece = void (*)(int, const float*, int64_t, const float*, const int64_t*, float*, int64_t, bool);
const LanesPiece kLanesPieces[6] = {lanes_piece<1>, lanes_piece<2>, lanes_piece<3>,
                                    lanes_piece<4>, lanes_piece<5>, lanes_piece<6>};

// y_g (+)= W_g * col_g through lanes_piece, lanes_ok(d); relu as in fwd_wide.
void fwd_lanes(const archway_conv2d_desc& d, const float* x, const float* wmat, float* y, bool accumulate, bool relu) {
  const int kg = d.k / d.groups, R = d.c / d.groups * d.kh * d.kw, pieces = (d.ow + 5) / 6;
  const int64_t N = (int64_t)d.oh * d.ow;
  const int64_t Wq = wide_layout(d).Wq;
  lanes_units(d, x, wmat, relu, 16, [&](const float* wT, const float* xp, const int64_t* boff, int64_t off) {
    for (int oy = 0; oy < d.oh; ++oy)
      for (int pc = 0; pc < pieces; ++pc) {
        const int j0 = d.ow * pc / pieces, j1 = d.ow * (pc + 1) / pieces;
        kLanesPieces[j1 - j0 - 1](R, wT, kg, xp + oy * Wq + j0, boff, y + off + (int64_t)oy * d.ow + j0, N, accumulate);
      }
  });
}
#endif

#if defined(__AVX512F__)
// Weight gradient of a convolution (any stride: strided inputs in phase planes) without im2col packing. Both operands of
// dW[ko, r] = sum_pos dy[ko, pos] col[r, pos] are made contiguous along the reduction:
//  - positions run over the padded width (pos' = oy * Wp + ox, ox < Wp), so im2col row r of an image
//    is the slice xp[ci][ty*dil*Wp + tx*dil + pos'] of the zero-padded input, read in place;
//  - dy is copied once into the same "wide" layout with zeros at ox >= ow, which cancels the extra
//    columns (and the rounding of the length to 16).
// A register tile of WMI x WNJ vector accumulators holds 16 partial sums per (ko, r), over a group of
// images; the horizontal sums are taken once per tile and group.
constexpr int WMI = 4, WNJ = 6;
using WgradTile = void (*)(int nimg, int64_t Lr, const float* a, int64_t a_img, const float* xp, int64_t x_img,
                           const int64_t* boff, float* out, int64_t ldo);

// Horizontal sum in a fixed order (through memory: GCC 12 warns on the lane-extract intrinsics).
inline float hsum(__m512 v) {
  alignas(64) float t[16];
  _mm512_store_ps(t, v);
  float h[8];
  for (int e = 0; e < 8; ++e) h[e] = t[e] + t[e + 8];
  for (int e = 0; e < 4; ++e) h[e] += h[e + 4];
  return (h[0] + h[2]) + (h[1] + h[3]);
}

template <int MI, int NJ>
void wgrad_tile(int nimg, int64_t Lr, const float* a, int64_t a_img, const float* xp, int64_t x_img,
                const int64_t* boff, float* out, int64_t ldo) {
  __m512 acc[MI][NJ];
  for (int i = 0; i < MI; ++i)
    for (int j = 0; j < NJ; ++j) acc[i][j] = _mm512_setzero_ps();
  for (int im = 0; im < nimg; ++im) {
    const float* ai = a + im * a_img;
    const float* bp[NJ];
    for (int j = 0; j < NJ; ++j) bp[j] = xp + im * x_img + boff[j];
    for (int64_t p = 0; p < Lr; p += 16) {
      __m512 av[MI];
      for (int i = 0; i < MI; ++i) av[i] = _mm512_loadu_ps(ai + i * Lr + p);
      for (int j = 0; j < NJ; ++j) {
        const __m512 bv = _mm512_loadu_ps(bp[j] + p);
        for (int i = 0; i < MI; ++i) acc[i][j] = _mm512_fmadd_ps(av[i], bv, acc[i][j]);
      }
    }
  }
  for (int i = 0; i < MI; ++i)
    for (int j = 0; j < NJ; ++j) out[i * ldo + j] += hsum(acc[i][j]);
}

#define ARCHWAY_WG_ROW(m) \
  { wgrad_tile<m, 1>, wgrad_tile<m, 2>, wgrad_tile<m, 3>, wgrad_tile<m, 4>, wgrad_tile<m, 5>, wgrad_tile<m, 6> }
const WgradTile kWgradTiles[WMI][WNJ] = {ARCHWAY_WG_ROW(1), ARCHWAY_WG_ROW(2), ARCHWAY_WG_ROW(3), ARCHWAY_WG_ROW(4)};
#undef ARCHWAY_WG_ROW

void bwd_filter_padded(const archway_conv2d_desc& d, const float* x, const float* dy, float* dweight,
                       bool accumulate, bool relu) {
  const int G = d.groups, cg = d.c / G, kg = d.k / G, taps = d.kh * d.kw, R = cg * taps;
  const int64_t N = (int64_t)d.oh * d.ow, hw = (int64_t)d.h * d.w;
  const WideLayout lay = wide_layout(d);  // strided shapes: phase planes
  const int64_t Wp = lay.Wq, plane = lay.chan;
  const int64_t L = (int64_t)d.oh * Wp, Lr = round_up(L, 16);
  // Reads reach at most a row plus (kw-1)*dil_w + (Lr - L) floats past the last plane: zeroed slack.
  const int64_t x_img = round_up((int64_t)d.c * plane + Wp + (int64_t)(d.kw - 1) * d.dil_w + 16, 16);
  const int64_t a_img = (int64_t)d.k * Lr;
  const int64_t per_image = (x_img + a_img) * (int64_t)sizeof(float);
  // Images per group: their padded inputs and dy rows together in 3/16 of L2 (384 KiB of the 2 MiB
  // the kernel was tuned on). The group size sets where partial sums are reduced, so it is fixed per
  // machine (results are bit-identical run to run on one machine, not across cache sizes).
  const int group = (int)std::clamp<int64_t>(caches::l2_bytes() * 3 / 16 / per_image, 1, 16);
  const int64_t wsize = (int64_t)d.k * R;
  const int threads = std::max(1, std::min<int>(omp_get_max_threads(), d.n));
  float* partials = scratch(kPartials, wsize * threads);
  const std::vector<int64_t> boff = tap_offsets(d);

#pragma omp parallel num_threads(threads)
  for (int t = omp_get_thread_num(); t < threads; t += omp_get_num_threads()) {
    float* part = partials + t * wsize;
    std::memset(part, 0, sizeof(float) * wsize);
    const int64_t b0 = (int64_t)d.n * t / threads, b1 = (int64_t)d.n * (t + 1) / threads;
    float* xp = scratch(kPadded, x_img * group);
    float* aw = scratch(kCol, a_img * group);
    for (int64_t bs = b0; bs < b1; bs += group) {
      const int nb = (int)std::min<int64_t>(group, b1 - bs);
      for (int im = 0; im < nb; ++im) {
        const int64_t b = bs + im;
        float* xi = xp + im * x_img;
        fill_wide(d, d.c, x + b * d.c * hw, xi, relu);
        std::memset(xi + (int64_t)d.c * plane, 0, sizeof(float) * (x_img - (int64_t)d.c * plane));
        float* ai = aw + im * a_img;
        for (int ko = 0; ko < d.k; ++ko) {
          float* dst = ai + (int64_t)ko * Lr;
          const float* src = dy + (b * d.k + ko) * N;
          for (int oy = 0; oy < d.oh; ++oy) {
            copy_floats(dst + oy * Wp, src + (int64_t)oy * d.ow, d.ow);
            for (int64_t e = d.ow; e < Wp; ++e) dst[oy * Wp + e] = 0.0f;
          }
          for (int64_t e = L; e < Lr; ++e) dst[e] = 0.0f;
        }
      }
      for (int g = 0; g < G; ++g)
        for (int i0 = 0; i0 < kg; i0 += WMI) {
          const int mi = std::min(WMI, kg - i0);
          for (int j0 = 0; j0 < R; j0 += WNJ) {
            const int nj = std::min(WNJ, R - j0);
            kWgradTiles[mi - 1][nj - 1](nb, Lr, aw + ((int64_t)g * kg + i0) * Lr, a_img, xp + (int64_t)g * cg * plane,
                                        x_img, boff.data() + j0, part + ((int64_t)g * kg + i0) * R + j0, R);
          }
        }
    }
  }
  // Fixed-order reduction of the partials (on the calling thread when small: kSerialPartialsMax).
#pragma omp parallel for schedule(static) if (wsize >= kSerialPartialsMax)
  for (int64_t e = 0; e < wsize; ++e) {
    float s = accumulate ? dweight[e] : 0.0f;
    for (int t = 0; t < threads; ++t) s += partials[t * wsize + e];
    dweight[e] = s;
  }
}
#endif
#if defined(ARCHWAY_WIDE_KERNELS)
// Weight gradient with the output channels in the vector lanes, for kg % 16 == 0, kw == 3, dil_w == 1:
//   dW[ko, r = (ci*kh + ty)*3 + tx] = sum_p dyT[p][ko] * xp[ci][p + ty*dil_h*Wp + tx]
// over the valid positions p = oy*Wp + ox, ox < ow, of the padded width (dyT: dy transposed per image
// into that layout, 16 x 16 blocks in registers). A tile holds VK ko-vectors x NRR input rows (ci, ty) x the 3 taps of a
// row: per position VK loads of dy and 3*NRR broadcasts of x, all L1/L2 resident, and no horizontal
// sums. The chain over the positions of one image is added to a per-thread partial kept as [R][k];
// the partials are reduced in thread order, so the result is fixed for a fixed thread count.
bool wgrad_lanes_ok(const archway_conv2d_desc& d) {
  return d.stride_h == 1 && d.stride_w == 1 && (d.k / d.groups) % 16 == 0 && d.kw == 3 && d.dil_w == 1;
}


template <int VK, int NRR>
void wgrad_lanes_tile(int oh, int ow, int64_t Wp, const float* __restrict dyT, int64_t k, const float* const* rows,
                      float* partT) {
  using W = WideVec;  // 16 lanes (avx512) or 8 (avx2)
  constexpr int L = W::kLanes;
  W::V acc[VK][NRR][3];
  for (int v = 0; v < VK; ++v)
    for (int q = 0; q < NRR; ++q)
      for (int t = 0; t < 3; ++t) acc[v][q][t] = W::zero();
  const float* xr[NRR];
  for (int q = 0; q < NRR; ++q) xr[q] = rows[q];
  // The valid columns of each row only: the padded width's extra columns carry dy = 0 (a fifth of the
  // positions at 7x7).
  for (int oy = 0; oy < oh; ++oy)
    for (int64_t p = oy * Wp, pe = oy * Wp + ow; p < pe; ++p) {
      W::V dv[VK];
#pragma GCC unroll 4
      for (int v = 0; v < VK; ++v) dv[v] = W::load(dyT + p * k + L * v);
#pragma GCC unroll 6
      for (int q = 0; q < NRR; ++q)
#pragma GCC unroll 3
        for (int t = 0; t < 3; ++t) {
          const W::V xb = W::set1(xr[q][p + t]);
#pragma GCC unroll 4
          for (int v = 0; v < VK; ++v) acc[v][q][t] = W::fma(dv[v], xb, acc[v][q][t]);
        }
    }
  for (int q = 0; q < NRR; ++q)
    for (int t = 0; t < 3; ++t)
      for (int v = 0; v < VK; ++v) {
        float* dst = partT + (int64_t)(q * 3 + t) * k + L * v;
        W::store(dst, W::add(W::load(dst), acc[v][q][t]));
      }
}

using WgradLanesTile = void (*)(int, int, int64_t, const float*, int64_t, const float* const*, float*);
#if defined(__AVX512F__)
// [VK index (1, 2, 4 vectors of 16 channels)][NRR - 1]: NRR up to 6 / 4 / 2 (18 / 24 / 24 accumulators).
constexpr int kLanesRows[3] = {6, 4, 2};
const WgradLanesTile kWgradLanesTiles[3][6] = {
    {wgrad_lanes_tile<1, 1>, wgrad_lanes_tile<1, 2>, wgrad_lanes_tile<1, 3>, wgrad_lanes_tile<1, 4>,
     wgrad_lanes_tile<1, 5>, wgrad_lanes_tile<1, 6>},
    {wgrad_lanes_tile<2, 1>, wgrad_lanes_tile<2, 2>, wgrad_lanes_tile<2, 3>, wgrad_lanes_tile<2, 4>, nullptr, nullptr},
    {wgrad_lanes_tile<4, 1>, wgrad_lanes_tile<4, 2>, nullptr, nullptr, nullptr, nullptr}};
int wgrad_lanes_vki(int kg) { return kg % 64 == 0 ? 2 : (kg % 32 == 0 ? 1 : 0); }
#else
// avx2 (16 registers): always 2 vectors of 8 channels x up to 2 input rows x 3 taps (12 accumulators).
constexpr int kLanesRows[1] = {2};
const WgradLanesTile kWgradLanesTiles[1][6] = {
    {wgrad_lanes_tile<2, 1>, wgrad_lanes_tile<2, 2>, nullptr, nullptr, nullptr, nullptr}};
int wgrad_lanes_vki(int) { return 0; }
#endif

void bwd_filter_lanes(const archway_conv2d_desc& d, const float* x, const float* dy, float* dweight, bool accumulate,
                      bool relu) {
  const int G = d.groups, cg = d.c / G, kg = d.k / G, taps = d.kh * d.kw, R = cg * taps, rows_g = cg * d.kh;
  const int64_t N = (int64_t)d.oh * d.ow, hw = (int64_t)d.h * d.w, k = d.k;
  const int64_t Wp = d.w + 2 * d.pad_w, Hp = d.h + 2 * d.pad_h, plane = Hp * Wp;
  // Positions up to the last valid one: reads stay inside the padded planes.
  const int64_t L = (int64_t)(d.oh - 1) * Wp + d.ow;
  const int vki = wgrad_lanes_vki(kg), nrr = kLanesRows[vki];
#if defined(__AVX512F__)
  const int step = 16 << vki;  // output channels per tile
#else
  const int step = 16;
#endif
  const int64_t wsize = k * R;
  const int threads = std::max(1, std::min<int>(omp_get_max_threads(), d.n));
  float* partials = scratch(kPartials, wsize * threads);

#pragma omp parallel num_threads(threads)
  for (int t = omp_get_thread_num(); t < threads; t += omp_get_num_threads()) {
    float* partT = partials + t * wsize;  // [R][k]
    std::memset(partT, 0, sizeof(float) * wsize);
    const int64_t b0 = (int64_t)d.n * t / threads, b1 = (int64_t)d.n * (t + 1) / threads;
    float* xp = scratch(kPadded, (int64_t)d.c * plane);
    float* dyT = scratch(kCol, L * k);
    for (int64_t b = b0; b < b1; ++b) {
      pad_planes(d, d.c, x + b * d.c * hw, xp, relu);
      // dy [ko][oy][ox] -> dyT[oy * Wp + ox][ko] (k % 16 == 0 here); columns ox >= ow are never read.
      planes_to_hwc(dy + b * k * N, N, (int)k, d.oh, d.ow, dyT, Wp * k, false);
      for (int g = 0; g < G; ++g)
        for (int kb = 0; kb < kg; kb += step)
          for (int q0 = 0; q0 < rows_g; q0 += nrr) {
            const int nq = std::min(nrr, rows_g - q0);
            const float* rows[6];
            for (int q = 0; q < nq; ++q) {
              const int ci = (q0 + q) / d.kh, ty = (q0 + q) % d.kh;
              rows[q] = xp + ((int64_t)g * cg + ci) * plane + (int64_t)ty * d.dil_h * Wp;
            }
            kWgradLanesTiles[vki][nq - 1](d.oh, d.ow, Wp, dyT + (int64_t)g * kg + kb, k, rows,
                                          partT + (int64_t)q0 * 3 * k + (int64_t)g * kg + kb);
          }
    }
  }
  // Fixed-order reduction of the partials, transposed back to [k][R] (group g's rows r belong to its
  // own kg channels: partT[r][g*kg + i]); on the calling thread when small (kSerialPartialsMax).
#pragma omp parallel for schedule(static) if ((int64_t)k * R >= kSerialPartialsMax)
  for (int64_t ko = 0; ko < k; ++ko)
    for (int r = 0; r < R; ++r) {
      const int64_t e = ko * R + r;
      float s = accumulate ? dweight[e] : 0.0f;
      for (int t = 0; t < threads; ++t) s += partials[t * wsize + (int64_t)r * k + ko];
      dweight[e] = s;
    }
}
#endif
}  // namespace

bool valid(const archway_conv2d_desc* d) {
  if (d == nullptr) return false;
  if (d->n < 1 || d->c < 1 || d->h < 1 || d->w < 1 || d->k < 1 || d->kh < 1 || d->kw < 1) return false;
  if (d->stride_h < 1 || d->stride_w < 1 || d->pad_h < 0 || d->pad_w < 0 || d->dil_h < 1 || d->dil_w < 1) return false;
  if (d->groups < 1 || d->c % d->groups != 0 || d->k % d->groups != 0) return false;
  // Guard the int32 index math against overflow before using it.
  if ((int64_t)d->dil_h * (d->kh - 1) + 1 > (int64_t)d->h + 2 * (int64_t)d->pad_h) return false;
  if ((int64_t)d->dil_w * (d->kw - 1) + 1 > (int64_t)d->w + 2 * (int64_t)d->pad_w) return false;
  if ((int64_t)d->h + 2 * (int64_t)d->pad_h > INT32_MAX / 2 || (int64_t)d->w + 2 * (int64_t)d->pad_w > INT32_MAX / 2)
    return false;
  if ((int64_t)(d->c / d->groups) * d->kh * d->kw > INT32_MAX || (int64_t)d->oh * d->ow > INT32_MAX) return false;
  return d->oh == conv_out_size(d->h, d->kh, d->stride_h, d->pad_h, d->dil_h) &&
         d->ow == conv_out_size(d->w, d->kw, d->stride_w, d->pad_w, d->dil_w) && d->oh >= 1 && d->ow >= 1;
}

// Forward algorithms (ARCHWAY_CONV_ALGO_*): which apply to a shape in this ISA build, and the
// automatic choice. Winograd is chosen where its vectorised kernels run with at least 32 input and
// output channels (channels in the lanes) or with 12-16 tiles per tile row (a tile row in the lanes):
// measured faster than lanes / direct / wide there, slower at 16 channels on narrow images (NOTES.md).
// In the avx2 build 16 channels are already two vectors, and there is no lanes / direct / tile-row kernel:
// channels-in-lanes Winograd was 2.2-3.4x faster than wide (the previous choice) at 16 channels from 8 to
// 56 px, forward and data gradient.
#if defined(ARCHWAY_WIDE_KERNELS)
bool winograd_preferred(const archway_conv2d_desc& d) {
#if defined(__AVX512F__)
  return winograd_fast_ok(d) && ((d.c >= 32 && d.k >= 32) || winograd_rows_ok(d));
#else
  return winograd_fast_ok(d);
#endif
}
#endif
bool algo_applies(const archway_conv2d_desc& d, int32_t algo) {
  switch (algo) {
    case ARCHWAY_CONV_ALGO_IM2COL: return true;
    case ARCHWAY_CONV_ALGO_PADDED: return padded_path(d);
#if defined(__AVX512F__)
    case ARCHWAY_CONV_ALGO_DIRECT: return direct_ok(d);
#endif
#if defined(ARCHWAY_WIDE_KERNELS)
    case ARCHWAY_CONV_ALGO_LANES: return lanes_ok(d);
#endif
#if defined(ARCHWAY_WIDE_KERNELS)
    case ARCHWAY_CONV_ALGO_WIDE: return wide_ok(d);
#endif
    case ARCHWAY_CONV_ALGO_DEPTHWISE: return d.c == d.groups;
    case ARCHWAY_CONV_ALGO_WINOGRAD: return winograd_ok(d);
#if defined(ARCHWAY_WIDE_KERNELS)
    case ARCHWAY_CONV_ALGO_WINOGRAD_F4: return winograd_fast_ok(d);
#endif
    default: return false;
  }
}

int32_t auto_algo(const archway_conv2d_desc& d) {
  if (d.c == d.groups) return ARCHWAY_CONV_ALGO_DEPTHWISE;
#if defined(ARCHWAY_WIDE_KERNELS)
  if (winograd_preferred(d)) return winograd_f4_ok(d) ? ARCHWAY_CONV_ALGO_WINOGRAD_F4 : ARCHWAY_CONV_ALGO_WINOGRAD;
#endif
#if defined(__AVX512F__)
  if (direct_ok(d)) return ARCHWAY_CONV_ALGO_DIRECT;
  // Strided too since its epilogue is vectorised and narrow rows are paired: the NB201 reductions at
  // 28 -> 14 and 14 -> 7 px measured 8% and 17% faster than wide (bench/results/NOTES.md).
  if (lanes_ok(d)) return ARCHWAY_CONV_ALGO_LANES;
#endif
#if defined(ARCHWAY_WIDE_KERNELS)
#if !defined(__AVX512F__)
  // Strided only: the NB201 reductions (28 -> 14 and 14 -> 7 px) measured faster than wide (NOTES.md).
  if (lanes_ok(d) && (d.stride_h > 1 || d.stride_w > 1)) return ARCHWAY_CONV_ALGO_LANES;
#endif
  if (wide_preferred(d)) return ARCHWAY_CONV_ALGO_WIDE;
#endif
  if (padded_path(d)) return ARCHWAY_CONV_ALGO_PADDED;
  return ARCHWAY_CONV_ALGO_IM2COL;
}


}  // namespace archway::conv

using namespace archway;
using namespace archway::conv;

extern "C" {

int32_t archway_cpu_conv2d_fwd(const archway_conv2d_desc* dp, const float* x, const float* weight, float* y) {
  return archway_cpu_conv2d_fwd_algo(dp, ARCHWAY_CONV_ALGO_AUTO, x, weight, y);
}

int32_t archway_cpu_conv2d_fwd_choice(const archway_conv2d_desc* dp) {
  if (!valid(dp)) return ARCHWAY_EINVAL;
  return auto_algo(*dp);
}

int32_t archway_cpu_conv2d_fwd_algo(const archway_conv2d_desc* dp, int32_t algo, const float* x, const float* weight,
                                    float* y) {
  if (!valid(dp) || x == nullptr || weight == nullptr || y == nullptr) return ARCHWAY_EINVAL;
  return forward(*dp, algo, false, x, weight, y);
}

int32_t archway_cpu_conv2d_relu_in_fwd(const archway_conv2d_desc* dp, const float* x, const float* weight, float* y) {
  if (!valid(dp) || x == nullptr || weight == nullptr || y == nullptr) return ARCHWAY_EINVAL;
  return forward(*dp, ARCHWAY_CONV_ALGO_AUTO, true, x, weight, y);
}

int32_t archway_cpu_conv2d_bwd_data(const archway_conv2d_desc* dp, const float* dy, const float* weight, float* dx,
                                    int32_t accumulate) {
  if (!valid(dp) || dy == nullptr || weight == nullptr || dx == nullptr) return ARCHWAY_EINVAL;
  return backward_data(*dp, ARCHWAY_CONV_BWD_AUTO, nullptr, dy, weight, dx, accumulate != 0);
}

int32_t archway_cpu_conv2d_bwd_data_algo(const archway_conv2d_desc* dp, int32_t algo, const float* dy,
                                         const float* weight, float* dx, int32_t accumulate) {
  if (!valid(dp) || dy == nullptr || weight == nullptr || dx == nullptr) return ARCHWAY_EINVAL;
  return backward_data(*dp, algo, nullptr, dy, weight, dx, accumulate != 0);
}

int32_t archway_cpu_conv2d_bwd_data_choice(const archway_conv2d_desc* dp) {
  if (!valid(dp)) return ARCHWAY_EINVAL;
  return data_algo(*dp, ARCHWAY_CONV_BWD_AUTO);
}

int32_t archway_cpu_conv2d_relu_in_bwd_data(const archway_conv2d_desc* dp, const float* x, const float* dy,
                                            const float* weight, float* dx, int32_t accumulate) {
  if (!valid(dp) || x == nullptr || dy == nullptr || weight == nullptr || dx == nullptr) return ARCHWAY_EINVAL;
  return backward_data(*dp, ARCHWAY_CONV_BWD_AUTO, x, dy, weight, dx, accumulate != 0);
}

int32_t archway_cpu_conv2d_bwd_filter(const archway_conv2d_desc* dp, const float* x, const float* dy, float* dweight,
                                      int32_t accumulate) {
  if (!valid(dp) || x == nullptr || dy == nullptr || dweight == nullptr) return ARCHWAY_EINVAL;
  return backward_filter(*dp, ARCHWAY_CONV_BWD_AUTO, false, x, dy, dweight, accumulate != 0);
}

int32_t archway_cpu_conv2d_bwd_filter_algo(const archway_conv2d_desc* dp, int32_t algo, const float* x,
                                           const float* dy, float* dweight, int32_t accumulate) {
  if (!valid(dp) || x == nullptr || dy == nullptr || dweight == nullptr) return ARCHWAY_EINVAL;
  return backward_filter(*dp, algo, false, x, dy, dweight, accumulate != 0);
}

int32_t archway_cpu_conv2d_bwd_filter_choice(const archway_conv2d_desc* dp) {
  if (!valid(dp)) return ARCHWAY_EINVAL;
  return filter_algo(*dp, ARCHWAY_CONV_BWD_AUTO);
}

int32_t archway_cpu_conv2d_relu_in_bwd_filter(const archway_conv2d_desc* dp, const float* x, const float* dy,
                                              float* dweight, int32_t accumulate) {
  if (!valid(dp) || x == nullptr || dy == nullptr || dweight == nullptr) return ARCHWAY_EINVAL;
  return backward_filter(*dp, ARCHWAY_CONV_BWD_AUTO, true, x, dy, dweight, accumulate != 0);
}

}  // extern "C"

namespace archway::conv {

archway_conv2d_desc flipped(const archway_conv2d_desc& d) {
  archway_conv2d_desc f = d;
  f.c = d.k;
  f.k = d.c;
  f.h = d.oh;
  f.w = d.ow;
  f.oh = d.h;
  f.ow = d.w;
  f.pad_h = d.dil_h * (d.kh - 1) - d.pad_h;
  f.pad_w = d.dil_w * (d.kw - 1) - d.pad_w;
  return f;
}

const float* flipped_filters(const archway_conv2d_desc& d, const float* weight) {
  const int G = d.groups, cg = d.c / G, kg = d.k / G, taps = d.kh * d.kw, R = cg * taps, R2 = kg * taps;
  float* wf = scratch(kFlipped, (int64_t)d.c * R2);
  for (int g = 0; g < G; ++g)
    for (int ci = 0; ci < cg; ++ci)
      for (int ko = 0; ko < kg; ++ko)
        for (int t = 0; t < taps; ++t)
          wf[((int64_t)g * cg + ci) * R2 + (int64_t)ko * taps + t] =
              weight[((int64_t)g * kg + ko) * R + (int64_t)ci * taps + (taps - 1 - t)];
  return wf;
}

namespace {

// relu(x) into the caller's scratch: the fused input ReLU for the paths that read x in place.
const float* relu_copy(const archway_conv2d_desc& d, const float* x) {
  const int64_t n = (int64_t)d.n * d.c * d.h * d.w;
  float* r = scratch(kReluInput, n);
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n; ++i) r[i] = relu_fwd(x[i]);
  return r;
}


// Whether the data gradient runs as a flipped forward convolution (stride 1, padding within the
// kernel extent, not depthwise).
bool data_grad_as_forward(const archway_conv2d_desc& d) {
  const archway_conv2d_desc f = flipped(d);
  return d.c != d.groups && d.stride_h == 1 && d.stride_w == 1 && f.pad_h >= 0 && f.pad_w >= 0 && padded_path(f);
}

// Whether a forward algorithm applies the fused input ReLU itself (in its padded copy of x).
bool pads_input(int32_t algo) {
#if defined(ARCHWAY_WIDE_KERNELS)
  if (algo == ARCHWAY_CONV_ALGO_WINOGRAD || algo == ARCHWAY_CONV_ALGO_WINOGRAD_F4) return true;  // in its HWC copy
#endif
  return algo == ARCHWAY_CONV_ALGO_PADDED || algo == ARCHWAY_CONV_ALGO_WIDE || algo == ARCHWAY_CONV_ALGO_DIRECT ||
         algo == ARCHWAY_CONV_ALGO_LANES;
}

// Whether the automatic data gradient takes the wide kernel where it applies (wide_preferred of the
// flipped convolution).
bool data_grad_wide_preferred(const archway_conv2d_desc& d) {
#if defined(ARCHWAY_WIDE_KERNELS)
  return wide_preferred(flipped(d));
#else
  (void)d;
  return false;
#endif
}

// Whether the data gradient can run as a forward convolution of dy through the lanes kernel.
bool data_grad_lanes_ok(const archway_conv2d_desc& d) {
#if defined(__AVX512F__)
  if (d.c == d.groups || d.stride_h != 1 || d.stride_w != 1) return false;
  const archway_conv2d_desc f = flipped(d);
  return f.pad_h >= 0 && f.pad_w >= 0 && lanes_ok(f);
#else
  (void)d;
  return false;
#endif
}

// Whether the data gradient can run as a forward convolution of dy through a kernel that also applies
// a fused ReLU's backward at its store: direct (avx512; 1x1 included, dy read in place) or wide.
bool data_grad_direct_ok(const archway_conv2d_desc& d, bool wide) {
#if defined(ARCHWAY_WIDE_KERNELS)
  if (d.c == d.groups || d.stride_h != 1 || d.stride_w != 1) return false;
  const archway_conv2d_desc f = flipped(d);
  if (f.pad_h < 0 || f.pad_w < 0) return false;
#if defined(__AVX512F__)
  return wide ? wide_ok(f) : d.k / d.groups <= KC && direct_ok(f);
#else
  return wide && wide_ok(f);  // the 16-lane direct kernel is avx512 only
#endif
#else
  (void)d;
  (void)wide;
  return false;
#endif
}

// Whether the data gradient can run as a Winograd forward convolution of dy (3x3, stride 1, padding
// within the kernel extent), and whether the automatic path takes it (where the forward would).
bool data_grad_winograd_ok(const archway_conv2d_desc& d) {
  if (d.stride_h != 1 || d.stride_w != 1 || d.groups != 1) return false;
  const archway_conv2d_desc f = flipped(d);
  return f.pad_h >= 0 && f.pad_w >= 0 && winograd_ok(f);
}

bool data_grad_winograd_preferred(const archway_conv2d_desc& d) {
#if defined(ARCHWAY_WIDE_KERNELS)
  return data_grad_winograd_ok(d) && winograd_preferred(flipped(d));
#else
  (void)d;
  return false;
#endif
}


#if defined(ARCHWAY_WIDE_KERNELS)
// Data gradient of any ungrouped convolution with c % 16 == 0 (the strided reductions): im2col's
// transpose with the input channels in the vector lanes. Per image, the columns of one output position,
// z[t][c] = sum_ko dy[ko][pos] W[ko][c][t], are a register tile of 8 positions x 3 vectors of (tap, c) (avx2: 4 x 2)
// (broadcast dy read in place, W^T[ko][t][c] vectors), and are added straight into an HWC copy of the
// padded dx (vector adds: col2im without scalar scatter); the copy is transposed back to NCHW, where
// the fused ReLU's backward and the accumulation are applied. Summation order: ko in order per tap,
// taps added in (position, tap) order; fixed, not the GEMM's.
bool data_grad_scatter_ok(const archway_conv2d_desc& d) {
  return d.groups == 1 && d.c % 16 == 0 && d.c != d.groups;
}

template <int PB, int NB>
void scatter_tile(int k, int64_t N, const float* __restrict dyp, const float* __restrict wt, int64_t ldw,
                  float* __restrict acc_out) {
  using W = WideVec;
  constexpr int L = W::kLanes;
  W::V acc[PB][NB];
  for (int j = 0; j < PB; ++j)
    for (int q = 0; q < NB; ++q) acc[j][q] = W::zero();
  for (int ko = 0; ko < k; ++ko) {
    W::V w[NB];
    for (int q = 0; q < NB; ++q) w[q] = W::load(wt + (int64_t)ko * ldw + L * q);
    const float* dk = dyp + (int64_t)ko * N;
#pragma GCC unroll 8
    for (int j = 0; j < PB; ++j) {
      const W::V b = W::set1(dk[j]);
      for (int q = 0; q < NB; ++q) acc[j][q] = W::fma(b, w[q], acc[j][q]);
    }
  }
  for (int j = 0; j < PB; ++j)
    for (int q = 0; q < NB; ++q) W::store(acc_out + (j * NB + q) * L, acc[j][q]);
}

using ScatterTile = void (*)(int, int64_t, const float*, const float*, int64_t, float*);
#if defined(__AVX512F__)
constexpr int kScatterPositions = 8, kScatterVecs = 3;  // 24 accumulators of 32 registers
const ScatterTile kScatterTiles[4][3] = {{scatter_tile<8, 1>, scatter_tile<8, 2>, scatter_tile<8, 3>},
                                         {scatter_tile<4, 1>, scatter_tile<4, 2>, scatter_tile<4, 3>},
                                         {scatter_tile<2, 1>, scatter_tile<2, 2>, scatter_tile<2, 3>},
                                         {scatter_tile<1, 1>, scatter_tile<1, 2>, scatter_tile<1, 3>}};
#else
constexpr int kScatterPositions = 4, kScatterVecs = 2;  // 8 accumulators of 16 registers
const ScatterTile kScatterTiles[4][3] = {{nullptr, nullptr, nullptr},
                                         {scatter_tile<4, 1>, scatter_tile<4, 2>, nullptr},
                                         {scatter_tile<2, 1>, scatter_tile<2, 2>, nullptr},
                                         {scatter_tile<1, 1>, scatter_tile<1, 2>, nullptr}};
#endif

void bwd_data_scatter(const archway_conv2d_desc& d, const float* dy, const float* weight, float* dx, bool accumulate,
                      const float* mask) {
  using W = WideVec;
  constexpr int L = W::kLanes;
  const int c = d.c, k = d.k, taps = d.kh * d.kw, cv = c / L, nv = taps * cv;  // vectors per position
  const int64_t N = (int64_t)d.oh * d.ow, hw = (int64_t)d.h * d.w;
  const int64_t Hp = d.h + 2 * (int64_t)d.pad_h, Wp = d.w + 2 * (int64_t)d.pad_w;
  // Taps may reach past the padded image on the far side (when (h + 2 pad - kernel extent) is not a
  // multiple of the stride they do not); rows and columns up to the last tap's reach.
  const int64_t Hr = std::max<int64_t>(Hp, (int64_t)(d.oh - 1) * d.stride_h + (int64_t)(d.kh - 1) * d.dil_h + 1);
  const int64_t Wr = std::max<int64_t>(Wp, (int64_t)(d.ow - 1) * d.stride_w + (int64_t)(d.kw - 1) * d.dil_w + 1);
  // W^T[ko][t][c] (c contiguous): the (tap, channel-vector) vectors of one ko are consecutive.
  const int64_t ldw = (int64_t)taps * c;
  float* wt = scratch(kFlipped, (int64_t)k * ldw);
  for (int ko = 0; ko < k; ++ko)
    for (int ci = 0; ci < c; ++ci)
      for (int t = 0; t < taps; ++t) wt[(int64_t)ko * ldw + (int64_t)t * c + ci] = weight[((int64_t)ko * c + ci) * taps + t];

  // Offset in the padded HWC gradient of vector v = (tap, channel vector) from its position's origin, and
  // of each output position's origin: the scatter loop below does no divisions (it took longer than the
  // tile products with them).
  std::vector<int64_t> voff(nv), porg(N);
  for (int v = 0; v < nv; ++v) {
    const int t = v / cv;
    voff[v] = ((int64_t)(t / d.kw) * d.dil_h * Wr + (int64_t)(t % d.kw) * d.dil_w) * c + (int64_t)(v % cv) * L;
  }
  for (int64_t pos = 0; pos < N; ++pos) porg[pos] = ((pos / d.ow) * d.stride_h * Wr + (pos % d.ow) * d.stride_w) * c;

#pragma omp parallel
  {
    float* dh = scratch(kPadded, Hr * Wr * c);
    alignas(64) float tile[8 * 3 * 16];
#pragma omp for schedule(dynamic, 1) nowait  // see "Late threads" in conv2d_internal.h
    for (int64_t b = 0; b < d.n; ++b) {
      std::memset(dh, 0, sizeof(float) * Hr * Wr * c);
      const float* dyb = dy + b * k * N;
      for (int64_t p0 = 0; p0 < N;) {
        const int64_t left = N - p0;
        const int pbi = left >= kScatterPositions ? (kScatterPositions == 8 ? 0 : 1) : left >= 4 ? 1 : left >= 2 ? 2 : 3;
        const int pb = 8 >> pbi;
        for (int v0 = 0; v0 < nv; v0 += kScatterVecs) {
          const int nb = std::min(kScatterVecs, nv - v0);
          kScatterTiles[pbi][nb - 1](k, N, dyb + p0, wt + (int64_t)v0 * L, ldw, tile);
          for (int j = 0; j < pb; ++j) {
            float* org = dh + porg[p0 + j];
            for (int q = 0; q < nb; ++q) {
              float* dst = org + voff[v0 + q];
              W::store(dst, W::add(W::load(dst), W::load(tile + (j * nb + q) * L)));
            }
          }
        }
        p0 += pb;
      }
      // The image area of the padded HWC gradient back to NCHW rows.
      hwc_to_planes(dh + ((int64_t)d.pad_h * Wr + d.pad_w) * c, Wr * c, c, d.h, d.w, dx + b * c * hw, hw,
                    mask == nullptr ? nullptr : mask + b * c * hw, accumulate);
    }
  }
}
#endif


#if defined(ARCHWAY_WIDE_KERNELS)
// Weight gradient of an ungrouped convolution with c % 16 == 0 and any kernel, stride and dilation
// (used for the strided reductions): dW^T[ko][t][c] = sum_pos dy[ko][pos] x[c][tap t of pos], the
// input channels in the vector lanes, read from an HWC copy of the padded image (the fused ReLU applied
// on the way). A register tile is KB output channels (dy broadcast in place) x VB vectors of (tap,
// channel) over all positions of an image (up to 3 x 9; avx2 2 x 4), added to a per-thread partial; the partials are summed in
// thread order, so the result is fixed for a fixed thread count.
template <int KB, int VB>
void gather_wgrad_tile(int64_t N, int ow, int64_t sy, int64_t sx, const float* __restrict dyk, int64_t ldd,
                       const float* __restrict xh, const int64_t* __restrict voff, float* __restrict part,
                       int64_t ldp) {
  using W = WideVec;
  constexpr int L = W::kLanes;
  W::V acc[KB][VB];
  for (int i = 0; i < KB; ++i)
    for (int q = 0; q < VB; ++q) acc[i][q] = W::load(part + i * ldp + L * q);
  for (int64_t pos = 0, oy = 0, ox = 0; pos < N; ++pos) {
    const float* xp = xh + oy * sy + ox * sx;  // the position's top-left tap, channel 0
    W::V xv[VB];
    for (int q = 0; q < VB; ++q) xv[q] = W::load(xp + voff[q]);
#pragma GCC unroll 4
    for (int i = 0; i < KB; ++i) {
      const W::V g = W::set1(dyk[i * ldd + pos]);
      for (int q = 0; q < VB; ++q) acc[i][q] = W::fma(g, xv[q], acc[i][q]);
    }
    if (++ox == ow) {
      ox = 0;
      ++oy;
    }
  }
  for (int i = 0; i < KB; ++i)
    for (int q = 0; q < VB; ++q) W::store(part + i * ldp + L * q, acc[i][q]);
}

using GatherWgradTile = void (*)(int64_t, int, int64_t, int64_t, const float*, int64_t, const float*, const int64_t*,
                                 float*, int64_t);
// [KB - 1][VB - 1], KB up to 3 and VB up to 9 (27 accumulators).
template <int KB, int... VB>
constexpr std::array<GatherWgradTile, sizeof...(VB)> gather_wgrad_row(std::integer_sequence<int, VB...>) {
  return {gather_wgrad_tile<KB, VB + 1>...};
}
#if defined(__AVX512F__)
constexpr int kGatherK = 3, kGatherV = 9;
const std::array<GatherWgradTile, 9> kGatherWgrad[3] = {gather_wgrad_row<1>(std::make_integer_sequence<int, 9>{}),
                                                       gather_wgrad_row<2>(std::make_integer_sequence<int, 9>{}),
                                                       gather_wgrad_row<3>(std::make_integer_sequence<int, 9>{})};
#else
constexpr int kGatherK = 2, kGatherV = 4;  // 8 accumulators + 4 inputs of 16 registers
const std::array<GatherWgradTile, 4> kGatherWgrad[2] = {gather_wgrad_row<1>(std::make_integer_sequence<int, 4>{}),
                                                       gather_wgrad_row<2>(std::make_integer_sequence<int, 4>{})};
#endif

bool wgrad_gather_ok(const archway_conv2d_desc& d) { return d.groups == 1 && d.c % 16 == 0 && d.c != d.groups; }

void bwd_filter_gather(const archway_conv2d_desc& d, const float* x, const float* dy, float* dweight, bool accumulate,
                       bool relu) {
  constexpr int L = WideVec::kLanes;
  const int c = d.c, k = d.k, taps = d.kh * d.kw, cv = c / L, nv = taps * cv;
  const int64_t N = (int64_t)d.oh * d.ow, hw = (int64_t)d.h * d.w;
  const int64_t Hp = d.h + 2 * (int64_t)d.pad_h, Wp = d.w + 2 * (int64_t)d.pad_w;
  const int64_t Hr = std::max<int64_t>(Hp, (int64_t)(d.oh - 1) * d.stride_h + (int64_t)(d.kh - 1) * d.dil_h + 1);
  const int64_t Wr = std::max<int64_t>(Wp, (int64_t)(d.ow - 1) * d.stride_w + (int64_t)(d.kw - 1) * d.dil_w + 1);
  std::vector<int64_t> voff(nv);  // offset of vector v = (tap, channel vector) from a position's origin
  for (int v = 0; v < nv; ++v) {
    const int t = v / cv;
    voff[v] = ((int64_t)(t / d.kw) * d.dil_h * Wr + (int64_t)(t % d.kw) * d.dil_w) * c + (v % cv) * L;
  }
  const int64_t wsize = (int64_t)k * nv * L;  // [ko][t][c]
  const int threads = std::max(1, std::min<int>(omp_get_max_threads(), d.n));
  float* partials = scratch(kPartials, wsize * threads);

#pragma omp parallel num_threads(threads)
  for (int th = omp_get_thread_num(); th < threads; th += omp_get_num_threads()) {
    float* part = partials + th * wsize;
    std::memset(part, 0, sizeof(float) * wsize);
    float* xh = scratch(kPadded, Hr * Wr * c);
    std::memset(xh, 0, sizeof(float) * Hr * Wr * c);  // borders stay zero: only the image is rewritten
    const int64_t b0 = (int64_t)d.n * th / threads, b1 = (int64_t)d.n * (th + 1) / threads;
    for (int64_t b = b0; b < b1; ++b) {
      planes_to_hwc(x + b * c * hw, hw, c, d.h, d.w, xh + ((int64_t)d.pad_h * Wr + d.pad_w) * c, Wr * c, relu);
      const float* dyb = dy + b * k * N;
      for (int k0 = 0; k0 < k; k0 += kGatherK) {
        const int kb = std::min(kGatherK, k - k0);
        for (int v0 = 0; v0 < nv; v0 += kGatherV) {
          const int vb = std::min(kGatherV, nv - v0);
          kGatherWgrad[kb - 1][vb - 1](N, d.ow, d.stride_h * Wr * c, (int64_t)d.stride_w * c, dyb + (int64_t)k0 * N,
                                       N, xh, voff.data() + v0, part + ((int64_t)k0 * nv + v0) * L, (int64_t)nv * L);
        }
      }
    }
  }
  // Partials in thread order, [ko][t][c] back to [ko][c][t]; on the calling thread when small
  // (kSerialPartialsMax).
#pragma omp parallel for schedule(static) if ((int64_t)k * c * taps >= kSerialPartialsMax)
  for (int ko = 0; ko < k; ++ko)
    for (int ci = 0; ci < c; ++ci)
      for (int t = 0; t < taps; ++t) {
        const int64_t e = ((int64_t)ko * c + ci) * taps + t, src = ((int64_t)ko * taps + t) * c + ci;
        float sum = accumulate ? dweight[e] : 0.0f;
        for (int th = 0; th < threads; ++th) sum += partials[th * wsize + src];
        dweight[e] = sum;
      }
}
#endif

// The taps of one phase of a strided data gradient along one axis: kernel positions t with
// t*dil = p (mod s), in ascending order, and a(t) = (t*dil - p) / s (>= 0, spaced evenly).
struct PhaseTaps {
  std::vector<int> t;
  int a0 = 0, step = 1;  // a(t_k) = a0 + k * step
};

PhaseTaps phase_taps(int k, int dil, int s, int p) {
  PhaseTaps pt;
  for (int t = 0; t < k; ++t)
    if (t * dil >= p && (t * dil - p) % s == 0) pt.t.push_back(t);
  if (!pt.t.empty()) pt.a0 = (pt.t[0] * dil - p) / s;
  if (pt.t.size() > 1) pt.step = ((pt.t[1] - pt.t[0]) * dil) / s;
  return pt;
}

// Data gradient of a strided convolution through phases: the padded dx split into sh x sw phase
// planes (as the forward's inputs, wide_layout), each phase the stride-1 convolution of dy with the taps
// that reach it, flipped:
//   dx_p[qy][qx] = sum_{ko, k, l} W[ko][ci][ty_k][tx_l] dy[ko][qy - a(ty_k)][qx - b(tx_l)],
// i.e. a forward convolution of dy (padding a_max / b_max, dilation the taps' spacing) run by the
// forward kernels, then scattered into dx. No col2im; but the phase convolutions are shallow (R = kg
// times 1 to 4 taps for 3x3 stride 2), and it measured slower than GEMM + col2im: a named variant only.
void bwd_data_phases(const archway_conv2d_desc& d, const float* dy, const float* weight, float* dx, bool accumulate) {
  const int G = d.groups, cg = d.c / G, kg = d.k / G, taps = d.kh * d.kw, R = cg * taps;
  const int64_t chw = (int64_t)d.c * d.h * d.w, hw = (int64_t)d.h * d.w;
  if (!accumulate) std::memset(dx, 0, sizeof(float) * d.n * chw);  // elements no tap reaches
  for (int py = 0; py < d.stride_h; ++py)
    for (int px = 0; px < d.stride_w; ++px) {
      const PhaseTaps ty = phase_taps(d.kh, d.dil_h, d.stride_h, py), tx = phase_taps(d.kw, d.dil_w, d.stride_w, px);
      if (ty.t.empty() || tx.t.empty()) continue;  // no tap reaches this phase: its dx terms are zero
      const int kh = (int)ty.t.size(), kw = (int)tx.t.size();
      archway_conv2d_desc f = d;
      f.c = d.k;
      f.k = d.c;
      f.h = d.oh;
      f.w = d.ow;
      f.kh = kh;
      f.kw = kw;
      f.stride_h = f.stride_w = 1;
      f.dil_h = ty.step;
      f.dil_w = tx.step;
      f.pad_h = ty.a0 + (kh - 1) * ty.step;  // a_max: output qy reads dy rows qy - a(t)
      f.pad_w = tx.a0 + (kw - 1) * tx.step;
      f.oh = conv_out_size(f.h, kh, 1, f.pad_h, f.dil_h);
      f.ow = conv_out_size(f.w, kw, 1, f.pad_w, f.dil_w);
      if (f.oh < 1 || f.ow < 1) continue;
      const int R2 = kg * kh * kw;
      float* wf = scratch(kFlipped, (int64_t)d.c * R2);
      for (int g = 0; g < G; ++g)
        for (int ci = 0; ci < cg; ++ci)
          for (int ko = 0; ko < kg; ++ko)
            for (int jy = 0; jy < kh; ++jy)
              for (int jx = 0; jx < kw; ++jx)
                wf[((int64_t)g * cg + ci) * R2 + ((int64_t)ko * kh + jy) * kw + jx] =
                    weight[((int64_t)g * kg + ko) * R + (int64_t)ci * taps + ty.t[kh - 1 - jy] * d.kw + tx.t[kw - 1 - jx]];
      const int64_t plane = (int64_t)f.oh * f.ow;
      float* out = scratch(kPhaseOut, (int64_t)d.n * d.c * plane);
      forward(f, ARCHWAY_CONV_ALGO_AUTO, false, dy, wf, out);
      // dx row iy = qy*sh + py - pad_h, column ix = qx*sw + px - pad_w.
      const int qy0 = std::max(0, (d.pad_h - py + d.stride_h - 1) / d.stride_h);
      const int qx0 = std::max(0, (d.pad_w - px + d.stride_w - 1) / d.stride_w);
#pragma omp parallel for schedule(static)
      for (int64_t bc = 0; bc < (int64_t)d.n * d.c; ++bc) {
        const float* o = out + bc * plane;
        float* dxp = dx + bc * hw;
        for (int qy = qy0; qy < f.oh; ++qy) {
          const int iy = qy * d.stride_h + py - d.pad_h;
          if (iy >= d.h) break;
          for (int qx = qx0; qx < f.ow; ++qx) {
            const int ix = qx * d.stride_w + px - d.pad_w;
            if (ix >= d.w) break;
            const int64_t e = (int64_t)iy * d.w + ix;
            const float v = o[(int64_t)qy * f.ow + qx];
            dxp[e] = accumulate ? dxp[e] + v : v;  // each dx element belongs to one phase
          }
        }
      }
    }
}

}  // namespace

int32_t data_algo(const archway_conv2d_desc& d, int32_t algo, bool fused_relu) {
  const bool depthwise = d.c == d.groups;
  const bool strided = !depthwise && (d.stride_h > 1 || d.stride_w > 1);
  switch (algo) {
    case ARCHWAY_CONV_BWD_AUTO:
      if (depthwise) return ARCHWAY_CONV_BWD_DATA_DEPTHWISE;
#if defined(ARCHWAY_WIDE_KERNELS)
      if (data_grad_winograd_preferred(d) && winograd_f4_ok(flipped(d))) return ARCHWAY_CONV_BWD_DATA_WINOGRAD_F4;
#endif
      if (data_grad_winograd_preferred(d)) return ARCHWAY_CONV_BWD_DATA_WINOGRAD;
#if defined(ARCHWAY_WIDE_KERNELS)
      if (strided && data_grad_scatter_ok(d)) return ARCHWAY_CONV_BWD_DATA_SCATTER;
#endif
      if (data_grad_direct_ok(d, false)) return ARCHWAY_CONV_BWD_DATA_DIRECT;
      if (data_grad_lanes_ok(d)) return ARCHWAY_CONV_BWD_DATA_LANES;
      // With a fused ReLU, wide applies its backward at the store where padded needs a second pass; in
      // the avx2 build, where padded is otherwise preferred at 14 and 7 px, that pass costs more than
      // wide's dropped lanes (NOTES.md).
      if (data_grad_direct_ok(d, true) && (fused_relu || data_grad_wide_preferred(d)))
        return ARCHWAY_CONV_BWD_DATA_WIDE;
      if (data_grad_as_forward(d)) return ARCHWAY_CONV_BWD_DATA_PADDED;
      // PHASES is never automatic: on the NB201 reductions it measured slower than GEMM + col2im
      // (bench/results/NOTES.md): its phase convolutions are too shallow for the forward kernels.
      return ARCHWAY_CONV_BWD_DATA_GEMM;
    case ARCHWAY_CONV_BWD_DATA_PHASES: return strided ? algo : ARCHWAY_EINVAL;
    case ARCHWAY_CONV_BWD_DATA_GEMM: return algo;
    case ARCHWAY_CONV_BWD_DATA_PADDED: return data_grad_as_forward(d) ? algo : ARCHWAY_EINVAL;
    case ARCHWAY_CONV_BWD_DATA_DIRECT: return data_grad_direct_ok(d, false) ? algo : ARCHWAY_EINVAL;
    case ARCHWAY_CONV_BWD_DATA_WIDE: return data_grad_direct_ok(d, true) ? algo : ARCHWAY_EINVAL;
    case ARCHWAY_CONV_BWD_DATA_LANES: return data_grad_lanes_ok(d) ? algo : ARCHWAY_EINVAL;
    case ARCHWAY_CONV_BWD_DATA_WINOGRAD: return data_grad_winograd_ok(d) ? algo : ARCHWAY_EINVAL;
#if defined(ARCHWAY_WIDE_KERNELS)
    case ARCHWAY_CONV_BWD_DATA_WINOGRAD_F4:
      return data_grad_winograd_ok(d) && winograd_fast_ok(flipped(d)) ? algo : ARCHWAY_EINVAL;
#endif
#if defined(ARCHWAY_WIDE_KERNELS)
    case ARCHWAY_CONV_BWD_DATA_SCATTER: return data_grad_scatter_ok(d) ? algo : ARCHWAY_EINVAL;
#endif
    case ARCHWAY_CONV_BWD_DATA_DEPTHWISE: return depthwise ? algo : ARCHWAY_EINVAL;
    default: return ARCHWAY_EINVAL;
  }
}

int32_t filter_algo(const archway_conv2d_desc& d, int32_t algo) {
  const bool depthwise = d.c == d.groups;
#if defined(__AVX512F__)
  const bool wide = !depthwise, lanes = !depthwise && wgrad_lanes_ok(d), winograd = winograd_fast_ok(d);
  const bool gather = wgrad_gather_ok(d);
  // Winograd with at least 32 channels each way, and at 16 channels up to 32 x 32 (F(4x4): 20% faster
  // than lanes at 28 x 28); F(4x4) wherever the output is at most 32 x 32.
  const bool winograd_auto = winograd && ((d.c >= 32 && d.k >= 32) || winograd_f4_wgrad_ok(d));
  const bool winograd_f4_auto = winograd && winograd_f4_wgrad_ok(d);
#elif defined(ARCHWAY_WIDE_KERNELS)
  const bool wide = false, lanes = !depthwise && wgrad_lanes_ok(d), winograd = winograd_fast_ok(d);
  const bool gather = wgrad_gather_ok(d);
  const bool winograd_auto = winograd && ((d.c >= 32 && d.k >= 32) || winograd_f4_wgrad_ok(d));
  const bool winograd_f4_auto = winograd && winograd_f4_wgrad_ok(d);
#else
  const bool wide = false, lanes = false, winograd = false, winograd_auto = false, gather = false;
  const bool winograd_f4_auto = false;
#endif
  switch (algo) {
    case ARCHWAY_CONV_BWD_AUTO:
      if (depthwise) return ARCHWAY_CONV_BWD_FILTER_DEPTHWISE;
      if (winograd_auto) return winograd_f4_auto ? ARCHWAY_CONV_BWD_FILTER_WINOGRAD_F4 : ARCHWAY_CONV_BWD_FILTER_WINOGRAD;
      // Strided, and 1x1 (the reductions' shortcut after the pool: 14x14 16 -> 32 0.34 -> 0.28 ms, 7x7
      // 32 -> 64 0.34 -> 0.19 ms against wide).
      if (gather && (d.stride_h > 1 || d.stride_w > 1 || is_pointwise(d))) return ARCHWAY_CONV_BWD_FILTER_GATHER;
      if (lanes) return ARCHWAY_CONV_BWD_FILTER_LANES;
      return wide ? ARCHWAY_CONV_BWD_FILTER_WIDE : ARCHWAY_CONV_BWD_FILTER_GEMM;
    case ARCHWAY_CONV_BWD_FILTER_GEMM: return algo;
    case ARCHWAY_CONV_BWD_FILTER_WIDE: return wide ? algo : ARCHWAY_EINVAL;
    case ARCHWAY_CONV_BWD_FILTER_LANES: return lanes ? algo : ARCHWAY_EINVAL;
    case ARCHWAY_CONV_BWD_FILTER_DEPTHWISE: return depthwise ? algo : ARCHWAY_EINVAL;
    case ARCHWAY_CONV_BWD_FILTER_WINOGRAD: return winograd ? algo : ARCHWAY_EINVAL;
    case ARCHWAY_CONV_BWD_FILTER_WINOGRAD_F4: return winograd ? algo : ARCHWAY_EINVAL;
    case ARCHWAY_CONV_BWD_FILTER_GATHER: return gather ? algo : ARCHWAY_EINVAL;
    default: return ARCHWAY_EINVAL;
  }
}

namespace {

}  // namespace

int32_t forward(const archway_conv2d_desc& d, int32_t algo, bool relu, const float* x, const float* weight, float* y) {
  if (algo == ARCHWAY_CONV_ALGO_AUTO) algo = auto_algo(d);
  if (!algo_applies(d, algo)) return ARCHWAY_EINVAL;
  if (relu && !pads_input(algo)) {
    x = relu_copy(d, x);
    relu = false;
  }
  if (algo == ARCHWAY_CONV_ALGO_DEPTHWISE) {
    depthwise_fwd(d, x, weight, y);
    return ARCHWAY_OK;
  }
#if defined(ARCHWAY_WIDE_KERNELS)
  if (algo == ARCHWAY_CONV_ALGO_WINOGRAD_F4) {
    winograd_fwd(d, x, weight, y, false, relu, nullptr, true);
    return ARCHWAY_OK;
  }
#endif
  if (algo == ARCHWAY_CONV_ALGO_WINOGRAD) {
#if defined(ARCHWAY_WIDE_KERNELS)
    if (winograd_fast_ok(d)) {
      winograd_fwd(d, x, weight, y, false, relu, nullptr, false);
      return ARCHWAY_OK;
    }
    if (relu) x = relu_copy(d, x);
#endif
    winograd_fwd_scalar(d, x, weight, y);
    return ARCHWAY_OK;
  }
  const int G = d.groups, cg = d.c / G, kg = d.k / G, taps = d.kh * d.kw, R = cg * taps;
  const int64_t N = (int64_t)d.oh * d.ow, hw = (int64_t)d.h * d.w;
  const bool pointwise = is_pointwise(d);

  // Weights are the A operand of every image: pack them once, shared read-only by the team.
#if defined(__AVX512F__)
  if (algo == ARCHWAY_CONV_ALGO_DIRECT) {
    fwd_direct(d, x, weight, y, false, relu);
    return ARCHWAY_OK;
  }
#endif
#if defined(ARCHWAY_WIDE_KERNELS)
  if (algo == ARCHWAY_CONV_ALGO_LANES) {
    fwd_lanes(d, x, weight, y, false, relu);
    return ARCHWAY_OK;
  }
#endif
#if defined(ARCHWAY_WIDE_KERNELS)
  if (algo == ARCHWAY_CONV_ALGO_WIDE) {
    fwd_wide(d, x, weight, y, false, relu);
    return ARCHWAY_OK;
  }
#endif
  const int64_t pa_size = gemm::packed_a_size(kg, R);
  float* pa = scratch(kWeights, pa_size * G);
  for (int g = 0; g < G; ++g) gemm::pack_a(kg, R, weight + (int64_t)g * kg * R, R, 1, pa + g * pa_size);
  if (algo == ARCHWAY_CONV_ALGO_PADDED) {
    fwd_padded(d, x, pa, pa_size, y, false, relu);
    return ARCHWAY_OK;
  }

  const int threads = omp_get_max_threads();
  int64_t ncol = column_chunk(R, N);
  const int64_t per_chunk = (int64_t)d.n * G;
  if (per_chunk < threads) ncol = std::min(ncol, round_up(ceil_div(N, ceil_div(threads, per_chunk)), NR));
  const int64_t chunks = ceil_div(N, ncol), units = per_chunk * chunks;

#pragma omp parallel for schedule(static)
  for (int64_t u = 0; u < units; ++u) {
    const int64_t b = u / (G * chunks);
    const int g = (int)(u / chunks % G);
    const int64_t j0 = u % chunks * ncol;
    const int nc = (int)std::min(ncol, N - j0);
    float* pb = scratch(kPanelB, (int64_t)R * round_up(nc, NR));
    const float* xg = x + ((int64_t)b * d.c + (int64_t)g * cg) * hw;
    if (pointwise) {
      gemm::pack_b(R, nc, xg + j0, hw, 1, pb);  // x itself is the column matrix
    } else {
      float* line = scratch(kLine, nc);
      for (int r = 0; r < R; ++r) {
        const int ci = r / taps, t = r % taps;
        pack_col_row(d, xg + ci * hw, r, R, t / d.kw, t % d.kw, j0, nc, line, pb);
      }
    }
    gemm::gemm_packed(kg, nc, R, pa + g * pa_size, pb, y + ((int64_t)b * d.k + (int64_t)g * kg) * N + j0, N, false);
  }
  return ARCHWAY_OK;
}

// relu_x: the input of a fused ReLU (dx then goes through its backward, dx (+)= g * relu_grad(x)), or null.
int32_t backward_data(const archway_conv2d_desc& d, int32_t algo, const float* relu_x, const float* dy,
                      const float* weight, float* dx, bool accumulate) {
  algo = data_algo(d, algo, relu_x != nullptr);
  if (algo < 0) return ARCHWAY_EINVAL;
#if defined(ARCHWAY_WIDE_KERNELS)
  const bool winograd_f4 = algo == ARCHWAY_CONV_BWD_DATA_WINOGRAD_F4;
  const bool fast_winograd =
      winograd_f4 || (algo == ARCHWAY_CONV_BWD_DATA_WINOGRAD && winograd_fast_ok(flipped(d)));
#else
  const bool fast_winograd = false;
#endif
  const bool masks = algo == ARCHWAY_CONV_BWD_DATA_DIRECT || algo == ARCHWAY_CONV_BWD_DATA_WIDE ||
                     algo == ARCHWAY_CONV_BWD_DATA_LANES || algo == ARCHWAY_CONV_BWD_DATA_SCATTER || fast_winograd;
  if (relu_x != nullptr && !masks) {
    // The unfused order: the gradient of relu(x) aside, then the ReLU backward into dx.
    const int64_t n = (int64_t)d.n * d.c * d.h * d.w;
    float* g = scratch(kReluInput, n);
    backward_data(d, algo, nullptr, dy, weight, g, false);
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; ++i) {
      const float v = g[i] * relu_grad(relu_x[i]);
      dx[i] = accumulate ? dx[i] + v : v;
    }
    return ARCHWAY_OK;
  }
  if (algo == ARCHWAY_CONV_BWD_DATA_DEPTHWISE) {
    depthwise_bwd_data(d, dy, weight, dx, accumulate != 0);
    return ARCHWAY_OK;
  }
  if (algo == ARCHWAY_CONV_BWD_DATA_PHASES) {
    bwd_data_phases(d, dy, weight, dx, accumulate);
    return ARCHWAY_OK;
  }
#if defined(ARCHWAY_WIDE_KERNELS)
  if (algo == ARCHWAY_CONV_BWD_DATA_SCATTER) {
    bwd_data_scatter(d, dy, weight, dx, accumulate, relu_x);
    return ARCHWAY_OK;
  }
#endif
  const int G = d.groups, cg = d.c / G, kg = d.k / G, taps = d.kh * d.kw, R = cg * taps;
  const int64_t N = (int64_t)d.oh * d.ow, hw = (int64_t)d.h * d.w;
  const bool pointwise = is_pointwise(d);

  // Stride 1: dx is the "full" convolution of dy with the flipped, transposed filters,
  //   dx[ci, iy, ix] = sum_{ko, ty, tx} W[ko, ci, ty, tx] dy[ko, iy + pad - ty*dil, ix + pad - tx*dil],
  // i.e. a stride-1 forward convolution of dy with pad' = dil*(k-1) - pad and W'[ci, ko, t'] =
  // W[ko, ci, taps-1-t']. In the avx512 build the direct kernel runs it (no GEMM panels, no col2im
  // scatter) in the summation order of GEMM + col2im, so dx is bit-identical to that (1x1: to the
  // GEMM, up to the sign of an exact zero). Strided shapes, and 1x1 elsewhere, keep GEMM + col2im.
  if (algo != ARCHWAY_CONV_BWD_DATA_GEMM) {
    const archway_conv2d_desc f = flipped(d);
#if defined(ARCHWAY_WIDE_KERNELS)
    if (fast_winograd && winograd_f4) {  // reads the filters flipped in place: no copy on this thread
      winograd_bwd_data_f4(f, dy, weight, dx, accumulate, relu_x);
      return ARCHWAY_OK;
    }
#endif
    const int R2 = kg * taps;
    const float* wf = flipped_filters(d, weight);
    if (algo == ARCHWAY_CONV_BWD_DATA_WINOGRAD || algo == ARCHWAY_CONV_BWD_DATA_WINOGRAD_F4) {
#if defined(ARCHWAY_WIDE_KERNELS)
      if (fast_winograd) {
        winograd_fwd(f, dy, wf, dx, accumulate, false, relu_x, winograd_f4);
        return ARCHWAY_OK;
      }
#endif
      if (!accumulate) {
        winograd_fwd_scalar(f, dy, wf, dx);
        return ARCHWAY_OK;
      }
      const int64_t n = (int64_t)d.n * d.c * d.h * d.w;
      float* g = scratch(kPhaseOut, n);
      winograd_fwd_scalar(f, dy, wf, g);
#pragma omp parallel for schedule(static)
      for (int64_t i = 0; i < n; ++i) dx[i] += g[i];
      return ARCHWAY_OK;
    }
#if defined(__AVX512F__)
    if (algo == ARCHWAY_CONV_BWD_DATA_DIRECT) {
      fwd_direct(f, dy, wf, dx, accumulate, false, /*taps_order=*/true, relu_x);
      return ARCHWAY_OK;
    }
    if (algo == ARCHWAY_CONV_BWD_DATA_LANES) {
      fwd_lanes(f, dy, wf, dx, accumulate, false, relu_x);
      return ARCHWAY_OK;
    }
#endif
#if defined(ARCHWAY_WIDE_KERNELS)
    // Any other width: the wide kernel, bit-identical to the padded path below.
    if (algo == ARCHWAY_CONV_BWD_DATA_WIDE) {
      fwd_wide(f, dy, wf, dx, accumulate, false, relu_x);
      return ARCHWAY_OK;
    }
#endif
    // Any other stride-1 shape (and every shape in the baseline and avx2 builds): the same flipped
    // forward through the padded path, taps read from a zero-padded copy of dy, with no dcol buffer
    // and no col2im scatter. (Sums run over (ko, t) in GEMM order, so dx differs from GEMM + col2im
    // in the last bits; it is as exact, and fixed for a fixed thread count.)
    const int64_t fpa_size = gemm::packed_a_size(cg, R2);
    float* fpa = scratch(kWeights, fpa_size * G);
    for (int g = 0; g < G; ++g) gemm::pack_a(cg, R2, wf + (int64_t)g * cg * R2, R2, 1, fpa + g * fpa_size);
    fwd_padded(f, dy, fpa, fpa_size, dx, accumulate, false);
    return ARCHWAY_OK;
  }

  // A = W_g^T (R x kg), packed once for the team.
  const int64_t pa_size = gemm::packed_a_size(R, kg);
  float* pa = scratch(kWeights, pa_size * G);
  for (int g = 0; g < G; ++g) gemm::pack_a(R, kg, weight + (int64_t)g * kg * R, 1, R, pa + g * pa_size);

  const int64_t ncol = column_chunk(std::max(R, kg), N);
  const int64_t units = (int64_t)d.n * G;

  // One unit owns the dx channels of one (image, group): no two threads touch the same dx element.
#pragma omp parallel for schedule(static)
  for (int64_t u = 0; u < units; ++u) {
    const int64_t b = u / G;
    const int g = (int)(u % G);
    float* dxg = dx + ((int64_t)b * d.c + (int64_t)g * cg) * hw;
    const float* dyg = dy + ((int64_t)b * d.k + (int64_t)g * kg) * N;
    if (!pointwise && !accumulate) std::memset(dxg, 0, sizeof(float) * cg * hw);
    float* pb = scratch(kPanelB, (int64_t)kg * round_up(ncol, NR));
    float* dcol = pointwise ? nullptr : scratch(kCol, (int64_t)R * ncol);
    for (int64_t j0 = 0; j0 < N; j0 += ncol) {
      const int nc = (int)std::min(ncol, N - j0);
      gemm::pack_b(kg, nc, dyg + j0, N, 1, pb);
      if (pointwise) {
        gemm::gemm_packed(R, nc, kg, pa + g * pa_size, pb, dxg + j0, hw, accumulate != 0);
        continue;
      }
      gemm::gemm_packed(R, nc, kg, pa + g * pa_size, pb, dcol, nc, false);
      for (int r = 0; r < R; ++r) {
        const int ci = r / taps, t = r % taps;
        col2im_row(d, dxg + ci * hw, t / d.kw, t % d.kw, j0, j0 + nc, dcol + (int64_t)r * nc);
      }
    }
  }
  return ARCHWAY_OK;
}

int32_t backward_filter(const archway_conv2d_desc& d, int32_t algo, bool relu, const float* x, const float* dy,
                        float* dweight, bool accumulate) {
  algo = filter_algo(d, algo);
  if (algo < 0) return ARCHWAY_EINVAL;
  // The lanes, wide-position and Winograd kernels copy x anyway (and apply a fused ReLU on the way).
  const bool pads = algo == ARCHWAY_CONV_BWD_FILTER_LANES || algo == ARCHWAY_CONV_BWD_FILTER_WIDE ||
                    algo == ARCHWAY_CONV_BWD_FILTER_WINOGRAD || algo == ARCHWAY_CONV_BWD_FILTER_WINOGRAD_F4 ||
                    algo == ARCHWAY_CONV_BWD_FILTER_GATHER;
  if (relu && !pads) {
    x = relu_copy(d, x);
    relu = false;
  }
  if (algo == ARCHWAY_CONV_BWD_FILTER_DEPTHWISE) {
    depthwise_bwd_filter(d, x, dy, dweight, accumulate != 0);
    return ARCHWAY_OK;
  }
#if defined(ARCHWAY_WIDE_KERNELS)
  if (algo == ARCHWAY_CONV_BWD_FILTER_WINOGRAD || algo == ARCHWAY_CONV_BWD_FILTER_WINOGRAD_F4) {
    winograd_bwd_filter(d, x, dy, dweight, accumulate, relu, algo == ARCHWAY_CONV_BWD_FILTER_WINOGRAD_F4);
    return ARCHWAY_OK;
  }
#endif
#if defined(__AVX512F__)

  if (algo == ARCHWAY_CONV_BWD_FILTER_WIDE) {  // any stride (strided shapes through phase planes)
    bwd_filter_padded(d, x, dy, dweight, accumulate, relu);
    return ARCHWAY_OK;
  }
#endif
#if defined(ARCHWAY_WIDE_KERNELS)
  if (algo == ARCHWAY_CONV_BWD_FILTER_GATHER) {
    bwd_filter_gather(d, x, dy, dweight, accumulate, relu);
    return ARCHWAY_OK;
  }
  if (algo == ARCHWAY_CONV_BWD_FILTER_LANES) {
    bwd_filter_lanes(d, x, dy, dweight, accumulate, relu);
    return ARCHWAY_OK;
  }
#endif
  const int G = d.groups, cg = d.c / G, kg = d.k / G, taps = d.kh * d.kw, R = cg * taps;
  const int64_t N = (int64_t)d.oh * d.ow, hw = (int64_t)d.h * d.w;
  const int64_t wsize = (int64_t)d.k * R;
  const int threads = std::max(1, std::min<int>(omp_get_max_threads(), d.n));
  float* partials = scratch(kPartials, wsize * threads);

  // The GEMM depth runs over (image, position) pairs of the thread's image range, KC at a time, so
  // small images still give the micro-kernel long K loops.
#pragma omp parallel num_threads(threads)
  for (int t = omp_get_thread_num(); t < threads; t += omp_get_num_threads()) {
    float* part = partials + t * wsize;
    std::memset(part, 0, sizeof(float) * wsize);
    const int64_t b0 = (int64_t)d.n * t / threads, b1 = (int64_t)d.n * (t + 1) / threads;
    const int64_t Q = (b1 - b0) * N;
    float* pa = scratch(kPanelA, round_up(kg, MR) * KC);
    float* pb = scratch(kPanelB, round_up(R, NR) * KC);
    float* line = scratch(kLine, KC);
    for (int64_t q0 = 0; q0 < Q; q0 += KC) {
      const int kc = (int)std::min<int64_t>(KC, Q - q0);
      for (int g = 0; g < G; ++g) {
        // A(i, p) = dy[image, g * kg + i, position]: MR-row panels, depth kc.
        for (int i0 = 0; i0 < kg; i0 += MR) {
          float* panel = pa + (int64_t)i0 * kc;
          const int mr = std::min(MR, kg - i0);
          for (int i = 0; i < MR; ++i) {
            if (i >= mr) {
              for (int p = 0; p < kc; ++p) panel[p * MR + i] = 0.0f;
              continue;
            }
            for (int p = 0; p < kc;) {
              const int64_t q = q0 + p, bb = b0 + q / N, pos = q % N;
              const int len = (int)std::min<int64_t>(N - pos, kc - p);
              const float* src = dy + ((bb * d.k + (int64_t)g * kg + i0 + i) * N + pos);
              for (int e = 0; e < len; ++e) panel[(p + e) * MR + i] = src[e];
              p += len;
            }
          }
        }
        // B(p, r) = im2col row r at (image, position) p: NR-column panels, depth kc.
        for (int r = 0; r < round_up(R, NR); ++r) {
          float* col = pb + (int64_t)(r / NR) * NR * kc + r % NR;
          if (r >= R) {
            for (int p = 0; p < kc; ++p) col[p * NR] = 0.0f;
            continue;
          }
          const int ci = r / taps, tp = r % taps;
          for (int p = 0; p < kc;) {
            const int64_t q = q0 + p, bb = b0 + q / N, pos = q % N;
            const int len = (int)std::min<int64_t>(N - pos, kc - p);
            im2col_row(d, x + (bb * d.c + (int64_t)g * cg + ci) * hw, tp / d.kw, tp % d.kw, pos, pos + len, line + p);
            p += len;
          }
          for (int p = 0; p < kc; ++p) col[p * NR] = line[p];
        }
        gemm::macro_kernel(kg, R, kc, pa, pb, part + (int64_t)g * kg * R, R, true);
      }
    }
  }
  // Fixed-order reduction of the partials (on the calling thread when small: kSerialPartialsMax).
#pragma omp parallel for schedule(static) if (wsize >= kSerialPartialsMax)
  for (int64_t e = 0; e < wsize; ++e) {
    float s = accumulate ? dweight[e] : 0.0f;
    for (int t = 0; t < threads; ++t) s += partials[t * wsize + e];
    dweight[e] = s;
  }
  return ARCHWAY_OK;
}

}  // namespace archway::conv
