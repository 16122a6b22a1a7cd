// Packed SGEMM: packing routines, the register-tile micro-kernel and the loops around it.
#include "gemm.h"
#include "scratch.h"

#include "archway/cpu_caches.h"

#include <omp.h>

#include <algorithm>
#include <cstring>
#include <vector>

#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif

namespace archway::gemm {
namespace {

// One MR x NR tile of C (row stride ldc) (+)= kc steps of packed A (MR per step) x packed B (NR per step).
#if defined(__AVX512F__)
inline void micro_kernel(int kc, const float* __restrict a, const float* __restrict b, float* __restrict c,
                         int64_t ldc, bool accumulate) {
  __m512 acc[MR][2];
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i) acc[i][0] = acc[i][1] = _mm512_setzero_ps();
  for (int p = 0; p < kc; ++p) {
    const __m512 b0 = _mm512_loadu_ps(b);
    const __m512 b1 = _mm512_loadu_ps(b + 16);
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i) {
      const __m512 ai = _mm512_set1_ps(a[i]);
      acc[i][0] = _mm512_fmadd_ps(ai, b0, acc[i][0]);
      acc[i][1] = _mm512_fmadd_ps(ai, b1, acc[i][1]);
    }
    a += MR;
    b += NR;
  }
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i) {
    float* row = c + i * ldc;
    if (accumulate) {
      acc[i][0] = _mm512_add_ps(acc[i][0], _mm512_loadu_ps(row));
      acc[i][1] = _mm512_add_ps(acc[i][1], _mm512_loadu_ps(row + 16));
    }
    _mm512_storeu_ps(row, acc[i][0]);
    _mm512_storeu_ps(row + 16, acc[i][1]);
  }
}
#elif defined(__AVX2__) && defined(__FMA__)
inline void micro_kernel(int kc, const float* __restrict a, const float* __restrict b, float* __restrict c,
                         int64_t ldc, bool accumulate) {
  __m256 acc[MR][3];
#pragma GCC unroll 4
  for (int i = 0; i < MR; ++i) acc[i][0] = acc[i][1] = acc[i][2] = _mm256_setzero_ps();
  for (int p = 0; p < kc; ++p) {
    const __m256 b0 = _mm256_loadu_ps(b);
    const __m256 b1 = _mm256_loadu_ps(b + 8);
    const __m256 b2 = _mm256_loadu_ps(b + 16);
#pragma GCC unroll 4
    for (int i = 0; i < MR; ++i) {
      const __m256 ai = _mm256_broadcast_ss(a + i);
      acc[i][0] = _mm256_fmadd_ps(ai, b0, acc[i][0]);
      acc[i][1] = _mm256_fmadd_ps(ai, b1, acc[i][1]);
      acc[i][2] = _mm256_fmadd_ps(ai, b2, acc[i][2]);
    }
    a += MR;
    b += NR;
  }
#pragma GCC unroll 4
  for (int i = 0; i < MR; ++i) {
    float* row = c + i * ldc;
    for (int v = 0; v < 3; ++v) {
      __m256 r = acc[i][v];
      if (accumulate) r = _mm256_add_ps(r, _mm256_loadu_ps(row + 8 * v));
      _mm256_storeu_ps(row + 8 * v, r);
    }
  }
}
#else
inline void micro_kernel(int kc, const float* __restrict a, const float* __restrict b, float* __restrict c,
                         int64_t ldc, bool accumulate) {
  float acc[MR][NR] = {};
  for (int p = 0; p < kc; ++p) {
    for (int i = 0; i < MR; ++i)
      for (int j = 0; j < NR; ++j) acc[i][j] += a[i] * b[j];
    a += MR;
    b += NR;
  }
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NR; ++j) c[i * ldc + j] = accumulate ? c[i * ldc + j] + acc[i][j] : acc[i][j];
}
#endif

archway::Scratch& scratch_a() {
  thread_local archway::Scratch buf;
  return buf;
}
archway::Scratch& scratch_b() {
  thread_local archway::Scratch buf;
  return buf;
}

float* ensure(archway::Scratch& s, int64_t n) { return s.grow(n); }

}  // namespace

void pack_a(int m, int k, const float* a, int64_t rs, int64_t cs, float* dst) {
  const int64_t mp = round_up(m, MR);
  for (int p0 = 0; p0 < k; p0 += KC) {
    const int kc = std::min(KC, k - p0);
    float* block = dst + (int64_t)p0 * mp;
    for (int i0 = 0; i0 < m; i0 += MR) {
      float* panel = block + (int64_t)i0 * kc;
      const int mr = std::min(MR, m - i0);
      if (cs == 1) {
        // Rows contiguous in p: read each row once, write with stride MR.
        for (int i = 0; i < mr; ++i) {
          const float* src = a + (i0 + i) * rs + p0;
          for (int p = 0; p < kc; ++p) panel[p * MR + i] = src[p];
        }
      } else {
        for (int p = 0; p < kc; ++p)
          for (int i = 0; i < mr; ++i) panel[p * MR + i] = a[(i0 + i) * rs + (p0 + p) * cs];
      }
      for (int i = mr; i < MR; ++i)
        for (int p = 0; p < kc; ++p) panel[p * MR + i] = 0.0f;
    }
  }
}

void pack_b(int k, int n, const float* b, int64_t rs, int64_t cs, float* dst) {
  const int64_t np = round_up(n, NR);
  for (int p0 = 0; p0 < k; p0 += KC) {
    const int kc = std::min(KC, k - p0);
    float* block = dst + (int64_t)p0 * np;
    for (int j0 = 0; j0 < n; j0 += NR) {
      float* panel = block + (int64_t)j0 * kc;
      const int nr = std::min(NR, n - j0);
      if (cs == 1) {
        for (int p = 0; p < kc; ++p) {
          const float* src = b + (p0 + p) * rs + j0;
          float* out = panel + p * NR;
#if defined(__AVX512F__)
          // Two masked 16-lane copies: no libc call per 32-float row, zero padding for free.
          const __mmask16 m0 = nr >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << nr) - 1);
          const __mmask16 m1 = nr >= 32 ? (__mmask16)0xFFFF : nr <= 16 ? (__mmask16)0 : (__mmask16)((1u << (nr - 16)) - 1);
          _mm512_storeu_ps(out, _mm512_maskz_loadu_ps(m0, src));
          _mm512_storeu_ps(out + 16, _mm512_maskz_loadu_ps(m1, src + 16));
#else
          std::memcpy(out, src, sizeof(float) * nr);
          for (int j = nr; j < NR; ++j) out[j] = 0.0f;
#endif
        }
      } else {
        // Transposed B: walk each source column once (contiguous when rs == 1).
        for (int j = 0; j < nr; ++j) {
          const float* src = b + (j0 + j) * cs + p0 * rs;
          for (int p = 0; p < kc; ++p) panel[p * NR + j] = src[p * rs];
        }
        for (int p = 0; p < kc; ++p)
          for (int j = nr; j < NR; ++j) panel[p * NR + j] = 0.0f;
      }
    }
  }
}

void macro_kernel(int m, int n, int kc, const float* pa, const float* pb, float* c, int64_t ldc, bool accumulate) {
  // Column panel outer: its kc x NR slice of B stays in L1 while every A panel streams past it.
  for (int j0 = 0; j0 < n; j0 += NR) {
    const float* bp = pb + (int64_t)j0 * kc;
    const int nr = std::min(NR, n - j0);
    for (int i0 = 0; i0 < m; i0 += MR) {
      const float* ap = pa + (int64_t)i0 * kc;
      const int mr = std::min(MR, m - i0);
      float* ct = c + i0 * ldc + j0;
      if (mr == MR && nr == NR) {
        micro_kernel(kc, ap, bp, ct, ldc, accumulate);
      } else {
        // Edge tile: compute the full padded tile aside, then merge the valid part.
        alignas(64) float tile[MR * NR];
        micro_kernel(kc, ap, bp, tile, NR, false);
        for (int i = 0; i < mr; ++i)
          for (int j = 0; j < nr; ++j)
            ct[i * ldc + j] = accumulate ? ct[i * ldc + j] + tile[i * NR + j] : tile[i * NR + j];
      }
    }
  }
}

void gemm_packed(int m, int n, int k, const float* pa, const float* pb, float* c, int64_t ldc, bool accumulate) {
  if (k == 0) {
    if (!accumulate)
      for (int i = 0; i < m; ++i) std::memset(c + i * ldc, 0, sizeof(float) * n);
    return;
  }
  const int64_t mp = round_up(m, MR), np = round_up(n, NR);
  for (int p0 = 0; p0 < k; p0 += KC) {
    const int kc = std::min(KC, k - p0);
    macro_kernel(m, n, kc, pa + p0 * mp, pb + p0 * np, c, ldc, accumulate || p0 > 0);
  }
}

void sgemm(int m, int n, int k, const float* a, int64_t a_rs, int64_t a_cs, const float* b, int64_t b_rs,
           int64_t b_cs, float* c, int64_t ldc, bool accumulate) {
  if (m <= 0 || n <= 0) return;
  // Chunks of M and N whose packed operands stay L2 resident (caches::gemm_chunk_floats). They split
  // M and N only, never the depth, so the chunk size does not change any result.
  const int kk = std::max(k, 1);
  const int64_t chunk = caches::gemm_chunk_floats();
  const int mc = (int)std::max<int64_t>(MR, (chunk / kk) / MR * MR);
  const int nc = (int)std::max<int64_t>(NR, (chunk / kk) / NR * NR);
  float* pa = ensure(scratch_a(), packed_a_size(std::min(mc, m), k));
  float* pb = ensure(scratch_b(), packed_b_size(k, std::min(nc, n)));
  for (int i0 = 0; i0 < m; i0 += mc) {
    const int mm = std::min(mc, m - i0);
    pack_a(mm, k, a + i0 * a_rs, a_rs, a_cs, pa);
    for (int j0 = 0; j0 < n; j0 += nc) {
      const int nn = std::min(nc, n - j0);
      pack_b(k, nn, b + j0 * b_cs, b_rs, b_cs, pb);
      gemm_packed(mm, nn, k, pa, pb, c + i0 * ldc + j0, ldc, accumulate);
    }
  }
}

void sgemm_parallel(int m, int n, int k, const float* a, int64_t a_rs, int64_t a_cs, const float* b, int64_t b_rs,
                    int64_t b_cs, float* c, int64_t ldc, bool accumulate) {
  const int threads = omp_in_parallel() ? 1 : omp_get_max_threads();
  // Below ~1 MFLOP the fork/join costs more than it saves.
  if (threads == 1 || (int64_t)m * n * k < (1 << 19)) {
    sgemm(m, n, k, a, a_rs, a_cs, b, b_rs, b_cs, c, ldc, accumulate);
    return;
  }
  const bool split_rows = m / MR >= n / NR;
  const int units = split_rows ? (m + MR - 1) / MR : (n + NR - 1) / NR;
  const int parts = std::min(threads, units);
#pragma omp parallel for schedule(static) num_threads(parts)
  for (int t = 0; t < parts; ++t) {
    const int u0 = (int)((int64_t)units * t / parts), u1 = (int)((int64_t)units * (t + 1) / parts);
    if (split_rows) {
      const int i0 = u0 * MR, i1 = std::min(m, u1 * MR);
      sgemm(i1 - i0, n, k, a + i0 * a_rs, a_rs, a_cs, b, b_rs, b_cs, c + i0 * ldc, ldc, accumulate);
    } else {
      const int j0 = u0 * NR, j1 = std::min(n, u1 * NR);
      sgemm(m, j1 - j0, k, a, a_rs, a_cs, b + j0 * b_cs, b_rs, b_cs, c + j0, ldc, accumulate);
    }
  }
}

}  // namespace archway::gemm
