// Winograd convolutions for 3x3, stride 1, dilation 1, ungrouped convolutions: F(2x2, 3x3) and F(4x4, 3x3).
//
// Each m x m output tile comes from an (m+2) x (m+2) input patch d: Y = A^T [ (G g G^T) .* (B^T d B) ] A,
// so the 9 m^2 multiplies of a direct tile become (m+2)^2 (F(2x2): 36 -> 16, 2.25x fewer; F(4x4):
// 144 -> 36, 4x fewer), in independent GEMMs M[xi] (k x tiles) = U[xi] (k x c) * V[xi] (c x tiles), xi the
// position in the transformed tile. Here: a scalar F(2x2) reference (any channel count); vectorised
// kernels with the channels in the vector lanes (F(2x2) and F(4x4), forward and weight gradient; the data
// gradient is the forward on dy with the flipped filters); and an avx512 F(2x2) with a tile row in the
// lanes. A result never depends on the team size (weight gradients: fixed for a fixed team size).
//
// Error: F(2x2)'s transforms add and subtract up to 9 (input) and 4 (output) terms and G has weights 1/2,
// so float32 results differ from the direct sum by a few ulps of the largest partial sums; F(4x4)'s
// entries reach 25 and 1/24, a few 1e-6 relative. Conv2dKernelTest checks every path against the double
// reference, Conv2dAlgorithmsTest bounds the error against the direct kernels'.
#include <omp.h>

#include <cstdint>
#include <cstring>

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "conv2d_internal.h"
#include "scratch.h"
#include "gemm.h"

namespace archway::conv {
namespace {

// Tiles per work unit: V and M chunks (16 x c x T, 16 x k x T floats) stay in L2 for c, k <= 64.
constexpr int64_t kTilesPerChunk = 64;

archway::Scratch& scratch(int which) {
  thread_local archway::Scratch bufs[3];
  return bufs[which];
}

float* grow(archway::Scratch& s, int64_t n) { return s.grow(n); }

// U[xi][ko][ci] = (G g G^T)[xi] for the 3x3 filter g = weight[ko][ci].
void transform_filters(int k, int c, const float* weight, float* u) {
  const int64_t plane = (int64_t)k * c;
  for (int ko = 0; ko < k; ++ko)
    for (int ci = 0; ci < c; ++ci) {
      const float* g = weight + ((int64_t)ko * c + ci) * 9;
      float t[4][3];  // G g: 4 x 3
      for (int j = 0; j < 3; ++j) {
        t[0][j] = g[j];
        t[1][j] = 0.5f * (g[j] + g[3 + j] + g[6 + j]);
        t[2][j] = 0.5f * (g[j] - g[3 + j] + g[6 + j]);
        t[3][j] = g[6 + j];
      }
      for (int i = 0; i < 4; ++i) {  // (G g) G^T: 4 x 4
        const float r[4] = {t[i][0], 0.5f * (t[i][0] + t[i][1] + t[i][2]), 0.5f * (t[i][0] - t[i][1] + t[i][2]),
                            t[i][2]};
        for (int j = 0; j < 4; ++j) u[(i * 4 + j) * plane + (int64_t)ko * c + ci] = r[j];
      }
    }
}

}  // namespace

bool winograd_ok(const archway_conv2d_desc& d) {
  return d.kh == 3 && d.kw == 3 && d.stride_h == 1 && d.stride_w == 1 && d.dil_h == 1 && d.dil_w == 1 &&
         d.groups == 1;
}

void winograd_fwd_scalar(const archway_conv2d_desc& d, const float* x, const float* weight, float* y) {
  const int c = d.c, k = d.k;
  const int64_t th = (d.oh + 1) / 2, tw = (d.ow + 1) / 2, per_image = th * tw;
  const int64_t tiles = per_image * d.n, hw = (int64_t)d.h * d.w, ohw = (int64_t)d.oh * d.ow;
  std::vector<float> u((size_t)16 * k * c);
  transform_filters(k, c, weight, u.data());
  const int64_t chunks = (tiles + kTilesPerChunk - 1) / kTilesPerChunk;

#pragma omp parallel for schedule(static)
  for (int64_t ch = 0; ch < chunks; ++ch) {
    const int64_t t0 = ch * kTilesPerChunk, nt = std::min(kTilesPerChunk, tiles - t0);
    float* v = grow(scratch(0), 16 * (int64_t)c * nt);  // V[xi][ci][t]
    float* m = grow(scratch(1), 16 * (int64_t)k * nt);  // M[xi][ko][t]
    for (int64_t t = 0; t < nt; ++t) {
      const int64_t tile = t0 + t, b = tile / per_image, rem = tile % per_image;
      const int iy0 = (int)(rem / tw) * 2 - d.pad_h, ix0 = (int)(rem % tw) * 2 - d.pad_w;
      for (int ci = 0; ci < c; ++ci) {
        const float* plane = x + (b * c + ci) * hw;
        float p[4][4];
        for (int i = 0; i < 4; ++i)
          for (int j = 0; j < 4; ++j) {
            const int iy = iy0 + i, ix = ix0 + j;
            p[i][j] = (iy >= 0 && iy < d.h && ix >= 0 && ix < d.w) ? plane[(int64_t)iy * d.w + ix] : 0.0f;
          }
        float q[4][4];  // B^T p
        for (int j = 0; j < 4; ++j) {
          q[0][j] = p[0][j] - p[2][j];
          q[1][j] = p[1][j] + p[2][j];
          q[2][j] = p[2][j] - p[1][j];
          q[3][j] = p[1][j] - p[3][j];
        }
        for (int i = 0; i < 4; ++i) {  // (B^T p) B
          const float r[4] = {q[i][0] - q[i][2], q[i][1] + q[i][2], q[i][2] - q[i][1], q[i][1] - q[i][3]};
          for (int j = 0; j < 4; ++j) v[((int64_t)(i * 4 + j) * c + ci) * nt + t] = r[j];
        }
      }
    }
    for (int xi = 0; xi < 16; ++xi)
      gemm::sgemm(k, (int)nt, c, u.data() + (int64_t)xi * k * c, c, 1, v + (int64_t)xi * c * nt, nt, 1,
                  m + (int64_t)xi * k * nt, nt, false);
    for (int64_t t = 0; t < nt; ++t) {
      const int64_t tile = t0 + t, b = tile / per_image, rem = tile % per_image;
      const int oy0 = (int)(rem / tw) * 2, ox0 = (int)(rem % tw) * 2;
      for (int ko = 0; ko < k; ++ko) {
        float s[4][4];
        for (int xi = 0; xi < 16; ++xi) s[xi / 4][xi % 4] = m[((int64_t)xi * k + ko) * nt + t];
        float a[2][4];  // A^T s
        for (int j = 0; j < 4; ++j) {
          a[0][j] = s[0][j] + s[1][j] + s[2][j];
          a[1][j] = s[1][j] - s[2][j] - s[3][j];
        }
        float* out = y + (b * k + ko) * ohw;
        for (int i = 0; i < 2; ++i) {
          const int oy = oy0 + i;
          if (oy >= d.oh) break;
          const float o0 = a[i][0] + a[i][1] + a[i][2], o1 = a[i][1] - a[i][2] - a[i][3];
          out[(int64_t)oy * d.ow + ox0] = o0;
          if (ox0 + 1 < d.ow) out[(int64_t)oy * d.ow + ox0 + 1] = o1;
        }
      }
    }
  }
}


#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
// The vectorised F(2x2, 3x3), channels in the vector lanes (c % 16 == 0, k % 16 == 0), avx512 (16 lanes)
// and avx2 (8 lanes, WV below). Per image:
//  1. x is transposed (16 x 16 or 8 x 8 blocks in registers) into a zero-bordered HWC copy, so the
//     channels of one patch element are one vector (the fused input ReLU applied on the way);
//  2. input transform of every tile, B^T d B in registers: V[xi][tile][c];
//  3. per xi, M[xi][tile][k] = sum_c V[xi][tile][c] U[xi][c][k]: a register tile of TT tiles x KV
//     k-vectors, broadcast V, vector U (k contiguous);
//  4. output transform A^T M A into an HWC output, transposed back to y's NCHW rows, where the fused
//     ReLU's backward (mask) and accumulation are applied as the direct kernels apply them.
// Images are the work units, so a result never depends on the thread count.
namespace {

using WV = VecOps;  // the channels-in-lanes kernels' vector operations (16 or 8 lanes)

struct WinoShape {
  int c, k, th, tw, hp, wp;  // tiles per column / row; the HWC copy's height / width (m * tiles + 2)
  int64_t tiles;
};

// m: the output tile's side, 2 for F(2x2, 3x3) and 4 for F(4x4, 3x3).
WinoShape wino_shape(const archway_conv2d_desc& d, int m = 2) {
  WinoShape w;
  w.c = d.c;
  w.k = d.k;
  w.th = (d.oh + m - 1) / m;
  w.tw = (d.ow + m - 1) / m;
  w.hp = m * w.th + 2;
  w.wp = m * w.tw + 2;
  w.tiles = (int64_t)w.th * w.tw;
  return w;
}

// Transformed positions per tile of F(4x4, 3x3) (F(2x2, 3x3): 16).
constexpr int kF4Pos = 36;

// Floats per tile in V[t][xi][c] (M[t][xi][k]): the transformed vectors of a tile (16 for F(2x2), 36 for
// F(4x4)), plus one cache line so that consecutive tiles (read together by a register tile) do not fall in
// one L1 set.
constexpr int64_t tile_stride(int channels, int positions = 16) { return positions * (int64_t)channels + 16; }

// U[xi][ci][ko] (ko contiguous) = (G g G^T)[xi] of g = weight[ko][ci], 16 output channels per vector
// (k % 16 == 0): the 9 taps of 16 filters gathered, the transform taken in registers. Every thread of a
// team makes its own copy: a few microseconds, less than the team synchronisation sharing one would
// cost (a parallel region or barrier is ~20-30 us when the threads sleep between calls).
void transform_filters_ck(int k, int c, const float* weight, float* u) {
  const WV::V half = WV::set1(0.5f);
  for (int ci = 0; ci < c; ++ci)
    for (int ko0 = 0; ko0 < k; ko0 += WV::kLanes) {
      const float* g0 = weight + ((int64_t)ko0 * c + ci) * 9;
      WV::V g[9];
      for (int e = 0; e < 9; ++e) g[e] = WV::gather(g0 + e, c * 9);
      WV::V t[4][3];  // G g
      for (int j = 0; j < 3; ++j) {
        t[0][j] = g[j];
        t[1][j] = WV::mul(half, WV::add(WV::add(g[j], g[3 + j]), g[6 + j]));
        t[2][j] = WV::mul(half, WV::add(WV::sub(g[j], g[3 + j]), g[6 + j]));
        t[3][j] = g[6 + j];
      }
      for (int i = 0; i < 4; ++i) {  // (G g) G^T
        const WV::V r[4] = {t[i][0], WV::mul(half, WV::add(WV::add(t[i][0], t[i][1]), t[i][2])),
                            WV::mul(half, WV::add(WV::sub(t[i][0], t[i][1]), t[i][2])), t[i][2]};
        for (int j = 0; j < 4; ++j) WV::store(u + ((int64_t)(i * 4 + j) * c + ci) * k + ko0, r[j]);
      }
    }
}

// M[t][k-block] (row stride k) = sum_c V[t][c] U[c][k-block] for TT tiles and KV k-vectors. CT: the
// channel count when known at compile time (0: runtime c); then the TT broadcasts of one channel are
// immediate offsets from one pointer instead of TT index registers (which spill).
template <int CT, int KV, int TT, int P = 16>
void wino_product(int c_rt, int k, const float* __restrict v, const float* __restrict u, float* __restrict m) {
  const int c = CT > 0 ? CT : c_rt;
  const int64_t vs = tile_stride(c, P), ms = tile_stride(k, P);  // V[t][xi][c], M[t][xi][k]
  WV::V acc[TT][KV];
  for (int t = 0; t < TT; ++t)
    for (int q = 0; q < KV; ++q) acc[t][q] = WV::zero();
  for (int ci = 0; ci < c; ++ci) {
    WV::V uv[KV];
    for (int q = 0; q < KV; ++q) uv[q] = WV::load(u + (int64_t)ci * k + WV::kLanes * q);
    const float* vc = v + ci;
#pragma GCC unroll 28
    for (int t = 0; t < TT; ++t) {
      const WV::V vb = WV::set1(vc[t * vs]);
      for (int q = 0; q < KV; ++q) acc[t][q] = WV::fma(vb, uv[q], acc[t][q]);
    }
  }
  for (int t = 0; t < TT; ++t)
    for (int q = 0; q < KV; ++q) WV::store(m + t * ms + WV::kLanes * q, acc[t][q]);
}

using WinoProduct = void (*)(int, int, const float*, const float*, float*);
template <int CT, int KV, int P, int... TT>
constexpr std::array<WinoProduct, sizeof...(TT)> wino_products(std::integer_sequence<int, TT...>) {
  return {wino_product<CT, KV, TT + 1, P>...};
}
#if defined(__AVX512F__)
// Tiles per register tile for KV = 1, 2, 4 k-vectors of 16: 28 accumulators.
constexpr int kWinoTiles[3] = {28, 14, 7};
template <int CT, int P = 16>
struct WinoProducts {
  static constexpr std::array<WinoProduct, 28> kv1 = wino_products<CT, 1, P>(std::make_integer_sequence<int, 28>{});
  static constexpr std::array<WinoProduct, 14> kv2 = wino_products<CT, 2, P>(std::make_integer_sequence<int, 14>{});
  static constexpr std::array<WinoProduct, 7> kv4 = wino_products<CT, 4, P>(std::make_integer_sequence<int, 7>{});
  static WinoProduct get(int kvi, int tt) { return kvi == 0 ? kv1[tt - 1] : kvi == 1 ? kv2[tt - 1] : kv4[tt - 1]; }
};
int wino_kvi(int k) { return k % 64 == 0 ? 2 : (k % 32 == 0 ? 1 : 0); }
int wino_kblock(int kvi) { return 16 << kvi; }  // output channels per register tile
#else
// avx2 (16 registers): 2 vectors of 8 output channels x up to 6 tiles (12 accumulators).
constexpr int kWinoTiles[1] = {6};
template <int CT, int P = 16>
struct WinoProducts {
  static constexpr std::array<WinoProduct, 6> kv2 = wino_products<CT, 2, P>(std::make_integer_sequence<int, 6>{});
  static WinoProduct get(int, int tt) { return kv2[tt - 1]; }
};
int wino_kvi(int) { return 0; }
int wino_kblock(int) { return 16; }
#endif

// The F(4x4) products (36 positions per tile): c = 64 at compile time, other counts at run time.
WinoProduct wino4_product_kernel(int c, int kvi, int tt) {
  return c == 64 ? WinoProducts<64, kF4Pos>::get(kvi, tt) : WinoProducts<0, kF4Pos>::get(kvi, tt);
}

WinoProduct wino_product_kernel(int c, int kvi, int tt) {
  switch (c) {
    case 16: return WinoProducts<16>::get(kvi, tt);
    case 32: return WinoProducts<32>::get(kvi, tt);
    case 64: return WinoProducts<64>::get(kvi, tt);
    default: return WinoProducts<0>::get(kvi, tt);
  }
}

// Step 2 for one image: V[t][xi][c] = B^T d B of every tile's patch d in the HWC copy xh. CT: c when
// known at compile time (0: runtime), so the 16 loads and stores per channel vector are immediate
// offsets (with runtime strides they need more address registers than there are, and spill).
template <int CT>
void wino_input(int c_rt, const WinoShape& ws, int64_t t0, int64_t t1, const float* __restrict xh,
                float* __restrict vbuf) {
  const int c = CT > 0 ? CT : c_rt;
  const int64_t vs = tile_stride(c), row = (int64_t)ws.wp * c;
  for (int64_t t = t0; t < t1; ++t) {
    const int ty = (int)(t / ws.tw), tx = (int)(t % ws.tw);
    const float* p = xh + (2 * ty) * row + (int64_t)(2 * tx) * c;
    float* vt = vbuf + (t - t0) * vs;
    for (int c0 = 0; c0 < c; c0 += WV::kLanes) {
      WV::V q[16];
      for (int j = 0; j < 4; ++j) {
        const WV::V d0 = WV::load(p + j * c + c0), d1 = WV::load(p + row + j * c + c0);
        const WV::V d2 = WV::load(p + 2 * row + j * c + c0), d3 = WV::load(p + 3 * row + j * c + c0);
        q[0 * 4 + j] = WV::sub(d0, d2);
        q[1 * 4 + j] = WV::add(d1, d2);
        q[2 * 4 + j] = WV::sub(d2, d1);
        q[3 * 4 + j] = WV::sub(d1, d3);
      }
      for (int i = 0; i < 4; ++i) {
        WV::store(vt + (i * 4 + 0) * c + c0, WV::sub(q[i * 4 + 0], q[i * 4 + 2]));
        WV::store(vt + (i * 4 + 1) * c + c0, WV::add(q[i * 4 + 1], q[i * 4 + 2]));
        WV::store(vt + (i * 4 + 2) * c + c0, WV::sub(q[i * 4 + 2], q[i * 4 + 1]));
        WV::store(vt + (i * 4 + 3) * c + c0, WV::sub(q[i * 4 + 1], q[i * 4 + 3]));
      }
    }
  }
}

// Step 4a for one image: the 2x2 outputs A^T M A of every tile into the HWC output yh (2*th x 2*tw x k).
template <int KT>
void wino_output(int k_rt, const WinoShape& ws, int64_t t0, int64_t t1, const float* __restrict mbuf,
                 float* __restrict yh) {
  const int k = KT > 0 ? KT : k_rt;
  const int64_t ms = tile_stride(k), row = (int64_t)(2 * ws.tw) * k;
  for (int64_t t = t0; t < t1; ++t) {
    const int ty = (int)(t / ws.tw), tx = (int)(t % ws.tw);
    const float* mt = mbuf + (t - t0) * ms;
    float* o = yh + (2 * ty) * row + (int64_t)(2 * tx) * k;
    for (int k0 = 0; k0 < k; k0 += WV::kLanes) {
      WV::V a[2][4];  // A^T s
      for (int j = 0; j < 4; ++j) {
        const WV::V s0 = WV::load(mt + j * k + k0), s1 = WV::load(mt + (4 + j) * k + k0);
        const WV::V s2 = WV::load(mt + (8 + j) * k + k0), s3 = WV::load(mt + (12 + j) * k + k0);
        a[0][j] = WV::add(WV::add(s0, s1), s2);
        a[1][j] = WV::sub(WV::sub(s1, s2), s3);
      }
      for (int r = 0; r < 2; ++r) {
        WV::store(o + r * row + k0, WV::add(WV::add(a[r][0], a[r][1]), a[r][2]));
        WV::store(o + r * row + k + k0, WV::sub(WV::sub(a[r][1], a[r][2]), a[r][3]));
      }
    }
  }
}

using WinoInput = void (*)(int, const WinoShape&, int64_t, int64_t, const float*, float*);
WinoInput wino_input_kernel(int c) {
  return c == 16 ? wino_input<16> : c == 32 ? wino_input<32> : c == 64 ? wino_input<64> : wino_input<0>;
}
using WinoOutput = void (*)(int, const WinoShape&, int64_t, int64_t, const float*, float*);
WinoOutput wino_output_kernel(int k) {
  return k == 16 ? wino_output<16> : k == 32 ? wino_output<32> : k == 64 ? wino_output<64> : wino_output<0>;
}

// The weight gradient's outer products (wgrad_partials below): dU[c-block][k-block] += V[t][c] E[t][k]
// over T tiles, a register tile of CB channels x KV k-vectors loaded from and stored back to the partial.
// P: transformed positions per tile (16 for F(2x2), 36 for F(4x4)), which set the tile strides.
template <int CT, int KV, int CB, int P = 16>
void wino_wgrad_product(int c_rt, int k, int64_t T, const float* __restrict v, const float* __restrict e,
                        float* __restrict du) {
  const int c = CT > 0 ? CT : c_rt;
  const int64_t vs = tile_stride(c, P), es = tile_stride(k, P);
  WV::V acc[CB][KV];
  for (int i = 0; i < CB; ++i)
    for (int q = 0; q < KV; ++q) acc[i][q] = WV::load(du + (int64_t)i * k + WV::kLanes * q);
  for (int64_t t = 0; t < T; ++t) {
    WV::V ev[KV];
    for (int q = 0; q < KV; ++q) ev[q] = WV::load(e + t * es + WV::kLanes * q);
    const float* vt = v + t * vs;
#pragma GCC unroll 12
    for (int i = 0; i < CB; ++i) {
      const WV::V vb = WV::set1(vt[i]);
      for (int q = 0; q < KV; ++q) acc[i][q] = WV::fma(vb, ev[q], acc[i][q]);
    }
  }
  for (int i = 0; i < CB; ++i)
    for (int q = 0; q < KV; ++q) WV::store(du + (int64_t)i * k + WV::kLanes * q, acc[i][q]);
}

using WinoWgradProduct = void (*)(int, int, int64_t, const float*, const float*, float*);
#if defined(__AVX512F__)
// Register tiles: KV = 2 (k % 32 == 0) x CB = 12 channels, or KV = 1 x 24; CB divides 48 and c may not
// be a multiple of it, so the last block runs the CB = 4 tile (c % 16 == 0 is a multiple of 4).
int wgrad_kv(int k) { return k % 32 == 0 ? 2 : 1; }
int wgrad_cb(int kv) { return kv == 2 ? 12 : 24; }
template <int CT, int P = 16>
WinoWgradProduct wgrad_product_kernel(int kv, bool tail) {
  if (kv == 2) return tail ? wino_wgrad_product<CT, 2, 4, P> : wino_wgrad_product<CT, 2, 12, P>;
  return tail ? wino_wgrad_product<CT, 1, 4, P> : wino_wgrad_product<CT, 1, 24, P>;
}
#else
// avx2 (16 registers): 2 vectors of 8 output channels x 4 input channels (8 accumulators).
int wgrad_kv(int) { return 2; }
int wgrad_cb(int) { return 4; }
template <int CT, int P = 16>
WinoWgradProduct wgrad_product_kernel(int, bool) { return wino_wgrad_product<CT, 2, 4, P>; }
#endif
// The F(4x4) weight-gradient products (36 positions per tile).
WinoWgradProduct wgrad4_product(int c, int kv, bool tail) {
  return c == 64 ? wgrad_product_kernel<64, kF4Pos>(kv, tail) : wgrad_product_kernel<0, kF4Pos>(kv, tail);
}

WinoWgradProduct wgrad_product(int c, int kv, bool tail) {
  return c == 16 ? wgrad_product_kernel<16>(kv, tail)
                 : c == 32 ? wgrad_product_kernel<32>(kv, tail)
                           : c == 64 ? wgrad_product_kernel<64>(kv, tail) : wgrad_product_kernel<0>(kv, tail);
}

// E[t][xi][k] = A e A^T for every tile, from the HWC copy of dy (2*th x 2*tw x k).
void wino_dy_transform(int k, const WinoShape& ws, const float* __restrict dyh, float* __restrict ebuf) {
  const int64_t es = tile_stride(k), row = (int64_t)(2 * ws.tw) * k;
  for (int64_t t = 0; t < ws.tiles; ++t) {
    const int ty = (int)(t / ws.tw), tx = (int)(t % ws.tw);
    const float* p = dyh + (2 * ty) * row + (int64_t)(2 * tx) * k;
    float* et = ebuf + t * es;
    for (int k0 = 0; k0 < k; k0 += WV::kLanes) {
      const WV::V e00 = WV::load(p + k0), e01 = WV::load(p + k + k0);
      const WV::V e10 = WV::load(p + row + k0), e11 = WV::load(p + row + k + k0);
      // Rows: A e (4 x 2): r0 = e0, r1 = e0 + e1, r2 = e0 - e1, r3 = -e1 (per column).
      const WV::V r[4][2] = {{e00, e01},
                             {WV::add(e00, e10), WV::add(e01, e11)},
                             {WV::sub(e00, e10), WV::sub(e01, e11)},
                             {WV::sub(WV::zero(), e10), WV::sub(WV::zero(), e11)}};
      for (int i = 0; i < 4; ++i) {  // columns: (A e) A^T
        WV::store(et + (i * 4 + 0) * k + k0, r[i][0]);
        WV::store(et + (i * 4 + 1) * k + k0, WV::add(r[i][0], r[i][1]));
        WV::store(et + (i * 4 + 2) * k + k0, WV::sub(r[i][0], r[i][1]));
        WV::store(et + (i * 4 + 3) * k + k0, WV::sub(WV::zero(), r[i][1]));
      }
    }
  }
}

// F(4x4, 3x3): 4x4 output tiles from 6x6 patches, 36 transformed positions, so a tile's 144 multiplies
// per (input, output) channel pair become 36: 4x fewer than direct, 1.78x fewer than F(2x2). The
// transforms (points 0, +-1, +-2, infinity; Lavin and Gray 2016) have entries up to 8 and 1/24, so the
// float error grows to a few 1e-6 relative (F(2x2): ~1e-7); the kernel tests bound both against the
// double reference. Automatic up to 32 x 32 outputs with c, k >= 32 (and for the weight gradient at 16
// channels too), see winograd_f4_ok.

// r = B^T d for the 6 values d (one column or row of a patch).
inline void f4_input_1d(const WV::V d[6], WV::V r[6]) {
  const WV::V four = WV::set1(4.0f), five = WV::set1(5.0f), two = WV::set1(2.0f);
  r[0] = WV::add(WV::fma(four, d[0], WV::mul(WV::set1(-5.0f), d[2])), d[4]);
  const WV::V s12 = WV::add(d[1], d[2]), d12 = WV::sub(d[1], d[2]);
  r[1] = WV::sub(WV::add(d[3], d[4]), WV::mul(four, s12));
  r[2] = WV::fma(four, d12, WV::sub(d[4], d[3]));
  const WV::V d42 = WV::sub(d[4], d[2]), d31 = WV::sub(d[3], d[1]);
  r[3] = WV::fma(two, d31, d42);
  r[4] = WV::sub(d42, WV::mul(two, d31));
  r[5] = WV::add(WV::sub(WV::mul(four, d[1]), WV::mul(five, d[3])), d[5]);
}

// o = A^T m for the 6 values m: 4 outputs.
inline void f4_output_1d(const WV::V m[6], WV::V o[4]) {
  const WV::V s12 = WV::add(m[1], m[2]), d12 = WV::sub(m[1], m[2]);
  const WV::V s34 = WV::add(m[3], m[4]), d34 = WV::sub(m[3], m[4]);
  o[0] = WV::add(WV::add(m[0], s12), s34);
  o[1] = WV::fma(WV::set1(2.0f), d34, d12);
  o[2] = WV::fma(WV::set1(4.0f), s34, s12);
  o[3] = WV::add(WV::fma(WV::set1(8.0f), d34, d12), m[5]);
}

// G of F(4x4, 3x3) (6 x 3): the filter transform G g G^T, and its transpose in the weight gradient.
constexpr float kF4G[6][3] = {{0.25f, 0.0f, 0.0f},
                              {-1.0f / 6, -1.0f / 6, -1.0f / 6},
                              {-1.0f / 6, 1.0f / 6, -1.0f / 6},
                              {1.0f / 24, 1.0f / 12, 1.0f / 6},
                              {1.0f / 24, -1.0f / 12, 1.0f / 6},
                              {0.0f, 0.0f, 1.0f}};

// The filters of a data gradient, read in place: the data gradient of a stride-1 convolution is the
// forward convolution of dy with W'[ko'][ci'][t] = W[ci'][ko'][8 - t] (backward_data in conv2d.cpp).
// F(4x4) reads W' straight from W instead of a flipped copy made first on the calling thread.
enum class FilterRead { kAsIs, kFlipped };

// U[xi][ci][ko] = (G g G^T)[xi] for F(4x4) and input channel ci, 16 (8) output channels per vector, as
// transform_filters_ck. U is made once per call by the team, an input channel at a time, and shared: at
// 64 x 64 channels it is 576 KiB, too much for every thread to make its own copy.
void transform_filters_f4(int k, int c, const float* weight, FilterRead read, int ci, float* u) {
  const auto& g1 = kF4G;
  const bool flipped = read == FilterRead::kFlipped;
  for (int ko0 = 0; ko0 < k; ko0 += WV::kLanes) {
    // Lane j holds output channel ko0 + j: W[ko][ci] as is, or W[ci][ko] flipped (weight is k' x c' x 9
    // with k' = c, c' = k).
    const float* g0 = flipped ? weight + ((int64_t)ci * k + ko0) * 9 : weight + ((int64_t)ko0 * c + ci) * 9;
    const int64_t lane_stride = flipped ? 9 : (int64_t)c * 9;
    WV::V g[9];
    for (int e = 0; e < 9; ++e) g[e] = WV::gather(g0 + (flipped ? 8 - e : e), lane_stride);
    WV::V t[6][3];  // G g: 6 x 3
    for (int i = 0; i < 6; ++i)
      for (int j = 0; j < 3; ++j)
        t[i][j] = WV::fma(WV::set1(g1[i][0]), g[j],
                          WV::fma(WV::set1(g1[i][1]), g[3 + j], WV::mul(WV::set1(g1[i][2]), g[6 + j])));
    for (int i = 0; i < 6; ++i)  // (G g) G^T: 6 x 6
      for (int j = 0; j < 6; ++j) {
        const WV::V r = WV::fma(WV::set1(g1[j][0]), t[i][0],
                                WV::fma(WV::set1(g1[j][1]), t[i][1], WV::mul(WV::set1(g1[j][2]), t[i][2])));
        WV::store(u + ((int64_t)(i * 6 + j) * c + ci) * k + ko0, r);
      }
  }
}

// V[t][xi][c] = B^T d B of the 6x6 patch d of every tile of one image (HWC copy xh, 4-pixel tile pitch):
// the columns transformed into a scratch block in L1, then its rows.
template <int CT>
void f4_input(int c_rt, const WinoShape& ws, const float* __restrict xh, float* __restrict vbuf) {
  const int c = CT > 0 ? CT : c_rt;
  const int64_t vs = tile_stride(c, kF4Pos), row = (int64_t)ws.wp * c;
  alignas(64) float tmp[kF4Pos * WV::kLanes];
  for (int64_t t = 0; t < ws.tiles; ++t) {
    const int ty = (int)(t / ws.tw), tx = (int)(t % ws.tw);
    const float* p = xh + (4 * ty) * row + (int64_t)(4 * tx) * c;
    float* vt = vbuf + t * vs;
    for (int c0 = 0; c0 < c; c0 += WV::kLanes) {
      for (int j = 0; j < 6; ++j) {
        WV::V d[6], r[6];
        for (int i = 0; i < 6; ++i) d[i] = WV::load(p + i * row + j * c + c0);
        f4_input_1d(d, r);
        for (int i = 0; i < 6; ++i) WV::store(tmp + (i * 6 + j) * WV::kLanes, r[i]);
      }
      for (int i = 0; i < 6; ++i) {
        WV::V d[6], r[6];
        for (int j = 0; j < 6; ++j) d[j] = WV::load(tmp + (i * 6 + j) * WV::kLanes);
        f4_input_1d(d, r);
        for (int j = 0; j < 6; ++j) WV::store(vt + (i * 6 + j) * c + c0, r[j]);
      }
    }
  }
}

using F4Input = void (*)(int, const WinoShape&, const float*, float*);
F4Input f4_input_kernel(int c) { return c == 64 ? f4_input<64> : f4_input<0>; }

// The 4x4 outputs A^T M A of every tile of one image into the HWC output yh (4*th x 4*tw x k).
template <int KT>
void f4_output(int k_rt, const WinoShape& ws, const float* __restrict mbuf, float* __restrict yh) {
  const int k = KT > 0 ? KT : k_rt;
  const int64_t ms = tile_stride(k, kF4Pos), row = (int64_t)(4 * ws.tw) * k;
  alignas(64) float tmp[24 * WV::kLanes];
  for (int64_t t = 0; t < ws.tiles; ++t) {
    const int ty = (int)(t / ws.tw), tx = (int)(t % ws.tw);
    const float* mt = mbuf + t * ms;
    float* o = yh + (4 * ty) * row + (int64_t)(4 * tx) * k;
    for (int k0 = 0; k0 < k; k0 += WV::kLanes) {
      for (int j = 0; j < 6; ++j) {  // columns: A^T over the 6 rows
        WV::V m[6], a[4];
        for (int i = 0; i < 6; ++i) m[i] = WV::load(mt + (i * 6 + j) * k + k0);
        f4_output_1d(m, a);
        for (int r = 0; r < 4; ++r) WV::store(tmp + (r * 6 + j) * WV::kLanes, a[r]);
      }
      for (int r = 0; r < 4; ++r) {
        WV::V m[6], a[4];
        for (int j = 0; j < 6; ++j) m[j] = WV::load(tmp + (r * 6 + j) * WV::kLanes);
        f4_output_1d(m, a);
        for (int q = 0; q < 4; ++q) WV::store(o + r * row + q * k + k0, a[q]);
      }
    }
  }
}

// E[t][xi][k] = A e A^T of every tile's 4x4 of dy (HWC copy dyh, 4*th x 4*tw x k, zero past the edge):
// per column A e = (e0, e0+e1+e2+e3, e0-e1+e2-e3, e0+2e1+4e2+8e3, e0-2e1+4e2-8e3, e3), then per row.
inline void f4_dy_1d(const WV::V e[4], WV::V r[6]) {
  const WV::V s02 = WV::add(e[0], e[2]), s13 = WV::add(e[1], e[3]);
  const WV::V q02 = WV::fma(WV::set1(4.0f), e[2], e[0]), q13 = WV::fma(WV::set1(4.0f), e[3], e[1]);
  r[0] = e[0];
  r[1] = WV::add(s02, s13);
  r[2] = WV::sub(s02, s13);
  r[3] = WV::fma(WV::set1(2.0f), q13, q02);
  r[4] = WV::sub(q02, WV::mul(WV::set1(2.0f), q13));
  r[5] = e[3];
}

void f4_dy_transform(int k, const WinoShape& ws, const float* __restrict dyh, float* __restrict ebuf) {
  const int64_t es = tile_stride(k, kF4Pos), row = (int64_t)(4 * ws.tw) * k;
  alignas(64) float tmp[24 * WV::kLanes];
  for (int64_t t = 0; t < ws.tiles; ++t) {
    const int ty = (int)(t / ws.tw), tx = (int)(t % ws.tw);
    const float* p = dyh + (4 * ty) * row + (int64_t)(4 * tx) * k;
    float* et = ebuf + t * es;
    for (int k0 = 0; k0 < k; k0 += WV::kLanes) {
      for (int j = 0; j < 4; ++j) {  // columns of e: A e (6 rows)
        WV::V e[4], r[6];
        for (int i = 0; i < 4; ++i) e[i] = WV::load(p + i * row + j * k + k0);
        f4_dy_1d(e, r);
        for (int i = 0; i < 6; ++i) WV::store(tmp + (i * 4 + j) * WV::kLanes, r[i]);
      }
      for (int i = 0; i < 6; ++i) {  // rows: (A e) A^T (6 columns)
        WV::V e[4], r[6];
        for (int j = 0; j < 4; ++j) e[j] = WV::load(tmp + (i * 4 + j) * WV::kLanes);
        f4_dy_1d(e, r);
        for (int j = 0; j < 6; ++j) WV::store(et + (i * 6 + j) * k + k0, r[j]);
      }
    }
  }
}

// Images per group of the F(4x4) forward: its products run position by position over all the group's
// tiles, so a slice U[xi] (c x k: 16 KiB at 64 x 64) is read once per group and stays in L1, and the
// register tiles are full (a 7 x 7 image has only 4 tiles).
constexpr int64_t kF4GroupTiles = 32;

void winograd_fwd_f4(const archway_conv2d_desc& d, const ChannelPlanes& x, const float* weight, FilterRead read,
                     const ChannelPlanes& y, bool accumulate, bool relu, const float* mask) {
  const WinoShape ws = wino_shape(d, 4);
  const int c = ws.c, k = ws.k;
  const int64_t ohw = (int64_t)d.oh * d.ow, T = ws.tiles;
  const int kvi = wino_kvi(k), kblock = wino_kblock(kvi), TT = kWinoTiles[kvi];
  const int64_t vs = tile_stride(c, kF4Pos), ms = tile_stride(k, kF4Pos);
  const int64_t xh_size = (int64_t)ws.hp * ws.wp * c, yh_size = (int64_t)(4 * ws.th) * (4 * ws.tw) * k;
  const int64_t group = std::max<int64_t>(1, (kF4GroupTiles + T - 1) / T), groups = (d.n + group - 1) / group;
  static thread_local archway::Scratch ubuf;
  float* u = grow(ubuf, (int64_t)kF4Pos * c * k);
  const F4Input input = f4_input_kernel(c);
  const auto output = k == 64 ? f4_output<64> : f4_output<0>;

#pragma omp parallel
  {
    // The filter transform inside the region, shared out dynamically: whoever is already running (the
    // calling thread, while a passive-waiting team is still waking) does most of it. 20-50 us a call,
    // on the calling thread alone before.
#pragma omp for schedule(dynamic, 1)
    for (int ci = 0; ci < c; ++ci) transform_filters_f4(k, c, weight, read, ci, u);
    float* xh = grow(scratch(0), xh_size);
    float* vbuf = grow(scratch(1), group * T * (vs + ms) + yh_size);
    float* mbuf = vbuf + group * T * vs;
    float* yh = mbuf + group * T * ms;
    std::memset(xh, 0, sizeof(float) * xh_size);  // the borders stay zero: only the image is rewritten
#pragma omp for schedule(dynamic, 1) nowait  // see "Late threads" in conv2d_internal.h
    for (int64_t gi = 0; gi < groups; ++gi) {
      const int64_t b0 = gi * group, nimg = std::min<int64_t>(group, d.n - b0), TG = nimg * T;
      for (int64_t i = 0; i < nimg; ++i) {
        planes_to_hwc(x, b0 + i, d.h, d.w, xh + ((int64_t)d.pad_h * ws.wp + d.pad_w) * c, (int64_t)ws.wp * c, relu);
        input(c, ws, xh, vbuf + i * T * vs);
      }
      // Equal register tiles over the group's tiles (32 = 6 + 6 + 6 + 7 + 7), as in winograd_fwd.
      const int64_t chunks = (TG + TT - 1) / TT;
      for (int xi = 0; xi < kF4Pos; ++xi)
        for (int k0 = 0; k0 < k; k0 += kblock)
          for (int64_t ch = 0; ch < chunks; ++ch) {
            const int64_t t0 = TG * ch / chunks, t1 = TG * (ch + 1) / chunks;
            wino4_product_kernel(c, kvi, (int)(t1 - t0))(c, k, vbuf + t0 * vs + (int64_t)xi * c,
                                                         u + (int64_t)xi * c * k + k0, mbuf + t0 * ms + (int64_t)xi * k + k0);
          }
      for (int64_t i = 0; i < nimg; ++i) {
        const int64_t b = b0 + i;
        output(k, ws, mbuf + i * T * ms, yh);
        hwc_to_planes(yh, (int64_t)(4 * ws.tw) * k, y, b, d.oh, d.ow, mask == nullptr ? nullptr : mask + b * k * ohw,
                      accumulate);
      }
    }
  }
}

// The two weight-gradient tilings, F(2x2, 3x3) and F(4x4, 3x3): output tile side M, P = (M + 2)^2
// transformed positions, the input and dy transforms and the product kernels of each.
struct WgradF2 {
  static constexpr int M = 2, P = 16;
  static void input(int c, const WinoShape& ws, const float* xh, float* v) { wino_input_kernel(c)(c, ws, 0, ws.tiles, xh, v); }
  static void dy(int k, const WinoShape& ws, const float* dyh, float* e) { wino_dy_transform(k, ws, dyh, e); }
  static WinoWgradProduct product(int c, int kv, bool tail) { return wgrad_product(c, kv, tail); }
};
struct WgradF4 {
  static constexpr int M = 4, P = kF4Pos;
  static void input(int c, const WinoShape& ws, const float* xh, float* v) { f4_input_kernel(c)(c, ws, xh, v); }
  static void dy(int k, const WinoShape& ws, const float* dyh, float* e) { f4_dy_transform(k, ws, dyh, e); }
  static WinoWgradProduct product(int c, int kv, bool tail) { return wgrad4_product(c, kv, tail); }
};

// Weight gradient, channels in the lanes: by linearity of y = A^T [U .* V] A in U = G g G^T, the gradient
// of U is dU = sum over tiles of E .* V with E = A e A^T (e the tile's M x M of dy), and dg = G^T dU G.
// Per image: V[t][xi][c] as in the forward, E[t][xi][k] from an HWC copy of dy (zero past the output
// edge); then per xi the outer products dU[xi][c][k] += V[t][xi][c] E[t][xi][k] over the tiles of a group
// of images, in register tiles of CB channels x KV k-vectors, into one partial per thread (returned:
// threads x P c k floats). The partials are added in thread order by the caller, so the result is fixed
// for a fixed thread count (as the other weight-gradient kernels).
template <class F>
const float* wgrad_partials(const archway_conv2d_desc& d, const float* x, const ChannelPlanes& dy, bool relu,
                           int threads) {
  const WinoShape ws = wino_shape(d, F::M);
  const int c = ws.c, k = ws.k, kv = wgrad_kv(k);
  const int cb = wgrad_cb(kv);
  const int64_t T = ws.tiles, du_size = (int64_t)F::P * c * k, hw = (int64_t)d.h * d.w;
  const int64_t vs = tile_stride(c, F::P), es = tile_stride(k, F::P);
  const int64_t dy_row = (int64_t)(F::M * ws.tw) * k;
  const int64_t xh_size = (int64_t)ws.hp * ws.wp * c, dyh_size = (int64_t)(F::M * ws.th) * dy_row;
  static thread_local archway::Scratch pbuf;
  float* partials = grow(pbuf, du_size * threads);
  // Images per product pass: at least 48 tiles, so the register tiles' loads and stores of the partial
  // are amortised (a 7x7 image has 16 F(2x2) tiles, 4 F(4x4) ones).
  const int64_t group = std::max<int64_t>(1, (48 + T - 1) / T);

#pragma omp parallel num_threads(threads)
  for (int th = omp_get_thread_num(); th < threads; th += omp_get_num_threads()) {
    float* du = partials + th * du_size;  // [xi][c][k]
    std::memset(du, 0, sizeof(float) * du_size);
    float* xh = grow(scratch(0), xh_size + dyh_size);
    float* dyh = xh + xh_size;
    float* vbuf = grow(scratch(1), group * T * (vs + es));
    float* ebuf = vbuf + group * T * vs;
    std::memset(xh, 0, sizeof(float) * (xh_size + dyh_size));  // borders (and dy past the edge) stay zero
    const int64_t b0 = (int64_t)d.n * th / threads, b1 = (int64_t)d.n * (th + 1) / threads;
    for (int64_t bg = b0; bg < b1; bg += group) {
      const int64_t nimg = std::min<int64_t>(group, b1 - bg);
      for (int64_t i = 0; i < nimg; ++i) {
        const int64_t b = bg + i;
        planes_to_hwc(x + b * c * hw, hw, c, d.h, d.w, xh + ((int64_t)d.pad_h * ws.wp + d.pad_w) * c,
                      (int64_t)ws.wp * c, relu);
        planes_to_hwc(dy, b, d.oh, d.ow, dyh, dy_row, false);
        F::input(c, ws, xh, vbuf + i * T * vs);
        F::dy(k, ws, dyh, ebuf + i * T * es);
      }
      const int64_t TG = nimg * T;
      for (int xi = 0; xi < F::P; ++xi)
        for (int k0 = 0; k0 < k; k0 += WV::kLanes * kv)
          for (int c0 = 0; c0 < c; c0 += cb) {
            const bool tail = c0 + cb > c;
            const int step = tail ? 4 : cb;
            for (int cc = c0; cc < std::min(c, c0 + cb); cc += step)
              F::product(c, kv, tail)(c, k, TG, vbuf + (int64_t)xi * c + cc, ebuf + (int64_t)xi * k + k0,
                                      du + ((int64_t)xi * c + cc) * k + k0);
          }
    }
  }
  return partials;
}

// Weight gradient through F(4x4, 3x3): the partials of wgrad_partials, then dW = G^T dU G (6x6 -> 3x3).
void winograd_bwd_filter_f4(const archway_conv2d_desc& d, const float* x, const ChannelPlanes& dy,
                            const ChannelPlanes& dweight, bool accumulate, bool relu) {
  const int c = d.c, k = d.k;
  const int threads = std::max(1, std::min<int>(omp_get_max_threads(), d.n));
  const int64_t du_size = (int64_t)kF4Pos * c * k;
  const float* partials = wgrad_partials<WgradF4>(d, x, dy, relu, threads);
  // Partials in thread order, then dW[ko][ci] = G^T dU G, a vector of output channels at a time (k is
  // contiguous in dU), the 9 results per channel stored through a small transposing block.
  const auto& g1 = kF4G;
#pragma omp parallel for schedule(static) if (du_size >= kSerialPartialsMax)
  for (int ci = 0; ci < c; ++ci)
    for (int ko0 = 0; ko0 < k; ko0 += WV::kLanes) {
      WV::V m[kF4Pos];
      for (int xi = 0; xi < kF4Pos; ++xi) {
        const float* p = partials + ((int64_t)xi * c + ci) * k + ko0;
        WV::V sum = WV::load(p);
        for (int th = 1; th < threads; ++th) sum = WV::add(sum, WV::load(p + th * du_size));
        m[xi] = sum;
      }
      WV::V t[3][6];  // G^T m
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 6; ++j) {
          WV::V acc = WV::zero();
          for (int a = 0; a < 6; ++a)
            if (g1[a][i] != 0.0f) acc = WV::fma(WV::set1(g1[a][i]), m[a * 6 + j], acc);
          t[i][j] = acc;
        }
      alignas(64) float out[9][WV::kLanes];
      for (int i = 0; i < 3; ++i)  // (G^T m) G
        for (int j = 0; j < 3; ++j) {
          WV::V acc = WV::zero();
          for (int b = 0; b < 6; ++b)
            if (g1[b][j] != 0.0f) acc = WV::fma(WV::set1(g1[b][j]), t[i][b], acc);
          WV::store(out[i * 3 + j], acc);
        }
      for (int l = 0; l < WV::kLanes; ++l) {
        float* dw = dweight.at(0, ko0 + l) + (int64_t)ci * 9;
        for (int e = 0; e < 9; ++e) dw[e] = accumulate ? dw[e] + out[e][l] : out[e][l];
      }
    }
}

}  // namespace
#endif

#if defined(__AVX512F__)
namespace {


// The same transform with the tiles of one tile row in the vector lanes, for wide images (12 to 16
// tiles per row: 24 to 32 output columns), where the channels-in-lanes products are too shallow at 16
// channels. Per image, straight from NCHW (no copies):
//  1. input transform per (channel, tile row): the four patch rows are loaded with masked loads (the
//     padding is the masked-off lanes), split into even and odd columns by permutes (the patch columns
//     2tx + j of all tiles), transformed in registers, stored as V[xi][c][t] (t = ty * tw + tx);
//  2. products M[xi][k][t] = U[xi][k][c] V[xi][c][t] in register tiles of 8 output channels x 48 tiles
//     (broadcast U, vector V, as the wide kernel);
//  3. output transform per (output channel, tile row), even and odd output columns interleaved by
//     permutes into the output rows, stored with the fused ReLU's backward and accumulation.
constexpr int kRowTileVecs = 3;  // 48 tiles per register tile


// The input side of the tile-row kernels: for tile row ty of one input plane, the four patch rows
// loaded with masked loads (the padding is the masked-off lanes), split into the patch columns
// 2tx + j of all tiles by permutes, and transformed along the row: r[i][0..3] = (d0 - d2, d1 + d2,
// d2 - d1, d1 - d3) of patch row i, lanes tx.
struct RowTransform {
  __mmask16 colm[4];  // loads at padded columns 0, 16, 2, 18: lane l reads image column off + l - pad_w
  __m512i even, odd;
  explicit RowTransform(const archway_conv2d_desc& d) {
    const int offs[4] = {0, 16, 2, 18};
    for (int e = 0; e < 4; ++e) {
      uint32_t m = 0;
      for (int l = 0; l < 16; ++l) {
        const int ix = offs[e] + l - d.pad_w;
        if (ix >= 0 && ix < d.w) m |= 1u << l;
      }
      colm[e] = (__mmask16)m;
    }
    even = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
    odd = _mm512_set_epi32(31, 29, 27, 25, 23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1);
  }
  void row_transform(const archway_conv2d_desc& d, const float* plane, int ty, bool relu, __m512 r[4][4]) const {
    const __m512 zero = _mm512_setzero_ps();
    for (int i = 0; i < 4; ++i) {
      const int iy = 2 * ty + i - d.pad_h;
      if (iy < 0 || iy >= d.h) {
        for (int j = 0; j < 4; ++j) r[i][j] = zero;
        continue;
      }
      const float* row = plane + (int64_t)iy * d.w - d.pad_w;  // padded column p is row[p]
      __m512 a = _mm512_maskz_loadu_ps(colm[0], row), bq = _mm512_maskz_loadu_ps(colm[1], row + 16);
      __m512 a2 = _mm512_maskz_loadu_ps(colm[2], row + 2), b2 = _mm512_maskz_loadu_ps(colm[3], row + 18);
      if (relu) {
        a = _mm512_maskz_max_ps((__mmask16)0xFFFF, a, zero);
        bq = _mm512_maskz_max_ps((__mmask16)0xFFFF, bq, zero);
        a2 = _mm512_maskz_max_ps((__mmask16)0xFFFF, a2, zero);
        b2 = _mm512_maskz_max_ps((__mmask16)0xFFFF, b2, zero);
      }
      const __m512 d0 = _mm512_permutex2var_ps(a, even, bq), d1 = _mm512_permutex2var_ps(a, odd, bq);
      const __m512 d2 = _mm512_permutex2var_ps(a2, even, b2), d3 = _mm512_permutex2var_ps(a2, odd, b2);
      r[i][0] = _mm512_sub_ps(d0, d2);
      r[i][1] = _mm512_add_ps(d1, d2);
      r[i][2] = _mm512_sub_ps(d2, d1);
      r[i][3] = _mm512_sub_ps(d1, d3);
    }
  }
};

// M[xi][k][48] = U[xi][k][c] V[xi][c][48] for one 8-channel block kb: acc[8][3] over c.
inline void rows_product(int c, int k, const float* __restrict uxi, const float* __restrict vxi,
                         float* __restrict mxi, int kb) {
  constexpr int TB = 16 * kRowTileVecs;
  __m512 acc[8][kRowTileVecs];
  for (int i = 0; i < 8; ++i)
    for (int h = 0; h < kRowTileVecs; ++h) acc[i][h] = _mm512_setzero_ps();
  for (int ci = 0; ci < c; ++ci) {
    __m512 b[kRowTileVecs];
    for (int h = 0; h < kRowTileVecs; ++h) b[h] = _mm512_load_ps(vxi + (int64_t)ci * TB + 16 * h);
    const float* a = uxi + (int64_t)ci * k + kb;
#pragma GCC unroll 8
    for (int i = 0; i < 8; ++i) {
      const __m512 ai = _mm512_set1_ps(a[i]);
      for (int h = 0; h < kRowTileVecs; ++h) acc[i][h] = _mm512_fmadd_ps(ai, b[h], acc[i][h]);
    }
  }
  for (int i = 0; i < 8; ++i)
    for (int h = 0; h < kRowTileVecs; ++h) _mm512_store_ps(mxi + (int64_t)(kb + i) * TB + 16 * h, acc[i][h]);
}

void winograd_fwd_rows(const archway_conv2d_desc& d, const float* weight, const ChannelPlanes& x, const ChannelPlanes& y,
                       bool accumulate, bool relu, const float* mask) {
  const WinoShape ws = wino_shape(d);
  const int c = ws.c, k = ws.k, tw = ws.tw;
  const int64_t ohw = (int64_t)d.oh * d.ow;
  // Tiles of a tile row sit at slot * (ty - ty0) + tx of the block: 16-lane slots (aligned, unmasked
  // stores and loads) when a row has 13 or more tiles, packed rows (no idle lanes) below that.
  const int slot = tw > 12 ? 16 : tw;
  const int rows_per_block = 16 * kRowTileVecs / slot;  // tile rows per register tile of 48 tiles
  const __m512 zero = _mm512_setzero_ps(), one = _mm512_set1_ps(1.0f);
  const RowTransform rt(d);
  const __m512i lo = _mm512_set_epi32(23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
  const __m512i hi = _mm512_set_epi32(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8);
  const __mmask16 tmask = (__mmask16)((1u << tw) - 1);
  // Output columns [0, 16) and [16, 32) of a row: valid below ow.
  const __mmask16 out0 = (__mmask16)(d.ow >= 16 ? 0xFFFFu : (1u << d.ow) - 1);
  const __mmask16 out1 = (__mmask16)(d.ow >= 32 ? 0xFFFFu : d.ow > 16 ? (1u << (d.ow - 16)) - 1 : 0);

#pragma omp parallel
  {
    float* u = grow(scratch(2), 16 * (int64_t)c * k);
    transform_filters_ck(k, c, weight, u);
    constexpr int TB = 16 * kRowTileVecs;
    float* vbuf = grow(scratch(0), 16 * (int64_t)TB * (c + k) + 16);
    vbuf = reinterpret_cast<float*>((reinterpret_cast<uintptr_t>(vbuf) + 63) & ~(uintptr_t)63);
    float* mbuf = vbuf + 16 * (int64_t)TB * c;
    std::memset(vbuf, 0, sizeof(float) * 16 * TB * c);  // lanes past a block's tiles stay zero
#pragma omp for schedule(dynamic, 1) nowait  // see "Late threads" in conv2d_internal.h
    for (int64_t b = 0; b < d.n; ++b)
      for (int ty0 = 0; ty0 < ws.th; ty0 += rows_per_block) {
        const int ty1 = std::min(ws.th, ty0 + rows_per_block);
        // 1. Input transform of the block's tile rows: V[xi][c][(ty - ty0) * tw + tx].
        for (int ci = 0; ci < c; ++ci) {
          const float* plane = x.at(b, ci);
          for (int ty = ty0; ty < ty1; ++ty) {
            __m512 r[4][4];  // per patch row i: the row transform of columns j = 0..3, lanes tx
            rt.row_transform(d, plane, ty, relu, r);
            // Column (row-index) transform; rows and columns are separable, so this equals B^T d B.
            float* vt = vbuf + (int64_t)ci * TB + (int64_t)(ty - ty0) * slot;
            const int64_t xs = (int64_t)c * TB;
            const __mmask16 sm = slot == 16 ? (__mmask16)0xFFFF : tmask;  // lanes past tw: finite, never used
            for (int j = 0; j < 4; ++j) {
              _mm512_mask_storeu_ps(vt + (0 * 4 + j) * xs, sm, _mm512_sub_ps(r[0][j], r[2][j]));
              _mm512_mask_storeu_ps(vt + (1 * 4 + j) * xs, sm, _mm512_add_ps(r[1][j], r[2][j]));
              _mm512_mask_storeu_ps(vt + (2 * 4 + j) * xs, sm, _mm512_sub_ps(r[2][j], r[1][j]));
              _mm512_mask_storeu_ps(vt + (3 * 4 + j) * xs, sm, _mm512_sub_ps(r[1][j], r[3][j]));
            }
          }
        }
        // 2. Products.
        for (int xi = 0; xi < 16; ++xi)
          for (int kb = 0; kb < k; kb += 8)
            rows_product(c, k, u + (int64_t)xi * c * k, vbuf + (int64_t)xi * c * TB, mbuf + (int64_t)xi * k * TB, kb);
        // 3. Output transform of the block's tile rows.
        for (int ko = 0; ko < k; ++ko) {
          const float* mk = mbuf + (int64_t)ko * TB;
          const int64_t xs = (int64_t)k * TB;
          float* yk = y.at(b, ko);
          const float* mask_k = mask == nullptr ? nullptr : mask + (b * k + ko) * ohw;
          for (int ty = ty0; ty < ty1; ++ty) {
            __m512 a[2][4];  // A^T s, lanes tx
            for (int j = 0; j < 4; ++j) {
              const float* sj = mk + (int64_t)(ty - ty0) * slot + j * xs;
              const __m512 s0 = _mm512_loadu_ps(sj), s1 = _mm512_loadu_ps(sj + 4 * xs);
              const __m512 s2 = _mm512_loadu_ps(sj + 8 * xs), s3 = _mm512_loadu_ps(sj + 12 * xs);
              a[0][j] = _mm512_add_ps(_mm512_add_ps(s0, s1), s2);
              a[1][j] = _mm512_sub_ps(_mm512_sub_ps(s1, s2), s3);
            }
            for (int rr = 0; rr < 2; ++rr) {
              const int oy = 2 * ty + rr;
              if (oy >= d.oh) break;
              const __m512 oe = _mm512_add_ps(_mm512_add_ps(a[rr][0], a[rr][1]), a[rr][2]);  // columns 2tx
              const __m512 oo = _mm512_sub_ps(_mm512_sub_ps(a[rr][1], a[rr][2]), a[rr][3]);  // columns 2tx + 1
              const __m512 v[2] = {_mm512_permutex2var_ps(oe, lo, oo), _mm512_permutex2var_ps(oe, hi, oo)};
              const __mmask16 om[2] = {out0, out1};
              for (int h = 0; h < 2; ++h) {
                if (om[h] == 0) continue;
                float* out = yk + (int64_t)oy * d.ow + 16 * h;
                __m512 t = v[h];
                if (mask_k != nullptr) {
                  const __mmask16 pos = _mm512_mask_cmp_ps_mask(
                      om[h], _mm512_maskz_loadu_ps(om[h], mask_k + (int64_t)oy * d.ow + 16 * h), zero, _CMP_GT_OQ);
                  t = _mm512_mul_ps(t, _mm512_maskz_mov_ps(pos, one));
                }
                if (accumulate) t = _mm512_add_ps(_mm512_maskz_loadu_ps(om[h], out), t);
                _mm512_mask_storeu_ps(out, om[h], t);
              }
            }
          }
        }
      }
  }
}




}  // namespace
#endif

#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
bool winograd_rows_ok(const archway_conv2d_desc& d) {
#if defined(__AVX512F__)
  const int tw = (d.ow + 1) / 2;
  return tw >= 12 && tw <= 16;
#else
  (void)d;
  return false;  // the tile-row kernel is avx512 only
#endif
}

bool winograd_fast_ok(const archway_conv2d_desc& d) { return winograd_ok(d) && d.c % 16 == 0 && d.k % 16 == 0; }

// Measured against F(2x2) (2 threads, batch 64, bench/results/NOTES.md), at 32 and 64 channels: F(4x4) is
// 15-26% faster at 7x7, 8x8, 12x12, 16x16 and 24x24 to 32x32 in the forward (there against the tile-row
// F(2x2)), equal at 14x14, 15% slower at 56x56 (a group's V and M outgrow L2); the weight gradient is 7-37%
// faster up to 32x32. At 16 channels only the weight gradient gains (28x28: 1.02 -> 0.90 ms); the forward
// stays the tile-row F(2x2) (F(4x4) 4-7% slower at 28 and 32 px). In the avx2 build (no tile-row kernel)
// F(4x4) also wins at 16 channels from 20 to 32 px (forward 7-25%, data gradient 7-11%); F(2x2) stays
// ahead at 16 px and below.
bool winograd_f4_ok(const archway_conv2d_desc& d) {
  if (!winograd_fast_ok(d) || d.oh > 32 || d.ow > 32) return false;
  if (d.c >= 32 && d.k >= 32) return true;
#if defined(__AVX512F__)
  // 16 channels on one side and 32 on the other (sibling convolutions run as one, 16 -> 16 + 16, and their
  // data gradient): F(4x4) measured faster than the tile-row F(2x2), batch 64, 2 threads, forward / data
  // gradient: 28 px 1.34 -> 1.13 / 1.50 -> 1.29 ms, 32 px 1.55 -> 1.49 / 1.84 -> 1.64 ms. At 16 -> 16 the
  // two are even (0.80 / 0.76 ms at 28 px, 0.91 / 0.93 at 32 px), and F(2x2) is kept.
  return d.c + d.k >= 48;
#else
  return d.oh >= 20 && d.ow >= 20;
#endif
}

bool winograd_f4_wgrad_ok(const archway_conv2d_desc& d) { return winograd_fast_ok(d) && d.oh <= 32 && d.ow <= 32; }

void winograd_bwd_data_f4(const archway_conv2d_desc& f, const ChannelPlanes& dy, const float* weight, float* dx,
                          bool accumulate, const float* relu_x) {
  winograd_fwd_f4(f, dy, weight, FilterRead::kFlipped, ChannelPlanes::one(dx, f.k, (int64_t)f.oh * f.ow), accumulate,
                  false, relu_x);
}

void winograd_fwd(const archway_conv2d_desc& d, const ChannelPlanes& x, const float* weight, const ChannelPlanes& y,
                  bool accumulate, bool relu, const float* mask, bool f4) {
  const WinoShape ws = wino_shape(d);
  const int c = ws.c, k = ws.k;
  const int64_t ohw = (int64_t)d.oh * d.ow, T = ws.tiles;
  if (f4) {
    winograd_fwd_f4(d, x, weight, FilterRead::kAsIs, y, accumulate, relu, mask);
    return;
  }
#if defined(__AVX512F__)
  if (winograd_rows_ok(d)) {
    winograd_fwd_rows(d, weight, x, y, accumulate, relu, mask);
    return;
  }
#endif
  const int kvi = wino_kvi(k), kblock = wino_kblock(kvi), TT = kWinoTiles[kvi];
  const int64_t chunks = (T + TT - 1) / TT;
  const WinoInput input = wino_input_kernel(c);
  const WinoOutput output = wino_output_kernel(k);
  const int64_t xh_size = (int64_t)ws.hp * ws.wp * c, yh_size = (int64_t)(2 * ws.th) * (2 * ws.tw) * k;

#pragma omp parallel
  {
    float* u = grow(scratch(2), 16 * (int64_t)c * k);
    transform_filters_ck(k, c, weight, u);
    float* xh = grow(scratch(0), xh_size);
    const int64_t vs = tile_stride(c), ms = tile_stride(k);
    float* vbuf = grow(scratch(1), TT * vs + TT * ms + yh_size);
    float* mbuf = vbuf + TT * vs;
    float* yh = mbuf + TT * ms;
    std::memset(xh, 0, sizeof(float) * xh_size);  // the borders stay zero: only the image is rewritten
#pragma omp for schedule(dynamic, 1) nowait  // see "Late threads" in conv2d_internal.h
    for (int64_t b = 0; b < d.n; ++b) {
      // 1. x -> HWC copy.
      planes_to_hwc(x, b, d.h, d.w, xh + ((int64_t)d.pad_h * ws.wp + d.pad_w) * c, (int64_t)ws.wp * c, relu);
      // 2-4a, one register tile of tiles at a time (V and M of a few tiles stay in L1): input transform
      // V[t][xi][c], the 16 products M[t][xi][k], output transform into the HWC output. The tiles are cut
      // into equal register tiles (49 = 13 + 12 + 12 + 12, not 14 + 14 + 14 + 7: short tiles have too
      // few independent accumulators to hide the FMA latency).
      for (int64_t ch = 0; ch < chunks; ++ch) {
        const int64_t t0 = T * ch / chunks, t1 = T * (ch + 1) / chunks;
        input(c, ws, t0, t1, xh, vbuf);
        const WinoProduct product = wino_product_kernel(c, kvi, (int)(t1 - t0));
        for (int xi = 0; xi < 16; ++xi)
          for (int k0 = 0; k0 < k; k0 += kblock)
            product(c, k, vbuf + (int64_t)xi * c, u + (int64_t)xi * c * k + k0, mbuf + (int64_t)xi * k + k0);
        output(k, ws, t0, t1, mbuf, yh);
      }
      // 4b. The HWC output back to NCHW.
      hwc_to_planes(yh, (int64_t)(2 * ws.tw) * k, y, b, d.oh, d.ow, mask == nullptr ? nullptr : mask + b * k * ohw,
                    accumulate);
    }
  }
}


void winograd_bwd_filter(const archway_conv2d_desc& d, const float* x, const ChannelPlanes& dy,
                         const ChannelPlanes& dweight, bool accumulate, bool relu, bool f4) {
  if (f4) {
    winograd_bwd_filter_f4(d, x, dy, dweight, accumulate, relu);
    return;
  }
  const int c = d.c, k = d.k;
  const int threads = std::max(1, std::min<int>(omp_get_max_threads(), d.n));
  const int64_t du_size = 16 * (int64_t)c * k;
  const float* partials = wgrad_partials<WgradF2>(d, x, dy, relu, threads);
  // Partials in thread order, then dW[ko][ci] = G^T dU G (4x4 -> 3x3).
#pragma omp parallel for schedule(static) if (du_size >= kSerialPartialsMax)
  for (int ci = 0; ci < c; ++ci)
    for (int ko = 0; ko < k; ++ko) {
      float m[16];
      for (int xi = 0; xi < 16; ++xi) {
        float sum = 0.0f;
        for (int th = 0; th < threads; ++th) sum += partials[th * du_size + ((int64_t)xi * c + ci) * k + ko];
        m[xi] = sum;
      }
      float t[3][4];  // G^T m: rows
      for (int j = 0; j < 4; ++j) {
        t[0][j] = m[j] + 0.5f * (m[4 + j] + m[8 + j]);
        t[1][j] = 0.5f * (m[4 + j] - m[8 + j]);
        t[2][j] = 0.5f * (m[4 + j] + m[8 + j]) + m[12 + j];
      }
      float* dw = dweight.at(0, ko) + (int64_t)ci * 9;
      for (int i = 0; i < 3; ++i) {  // (G^T m) G: columns
        const float g[3] = {t[i][0] + 0.5f * (t[i][1] + t[i][2]), 0.5f * (t[i][1] - t[i][2]),
                            0.5f * (t[i][1] + t[i][2]) + t[i][3]};
        for (int j = 0; j < 3; ++j) dw[i * 3 + j] = accumulate ? dw[i * 3 + j] + g[j] : g[j];
      }
    }
}
#endif

}  // namespace archway::conv
