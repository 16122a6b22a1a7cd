/* The deterministic two-pass sum shared by the CPU and CUDA kernels (L2 norms, dot products, the
 * mixed op's architecture gradient on the GPU path, gradient clipping, the ZO weight term).
 *
 * Pass 1 splits [0, n) into reduce_tiles(n) contiguous tiles (a function of n alone). Each tile is summed
 * by kReduceLanes lanes: lane t adds term(b + t), term(b + t + lanes), ... in ascending order (one CUDA
 * thread), then the lanes are combined by a fixed binary tree (t += t + s for s = lanes/2, ..., 1; one
 * CUDA block's shared-memory reduction). Pass 2 sums the tile partials the same way with one tile.
 * No atomics and no dependence on the thread count or the GPU: the CPU (two_pass_sum in native/src)
 * and the GPU (cuda-kernels/reduce.cuh) perform the same double additions in the same order, so their
 * results are bit-identical. Terms are products of two floats, which are exact in double, so FMA
 * contraction cannot change them either. */
#ifndef ARCHWAY_MATH_REDUCE_H
#define ARCHWAY_MATH_REDUCE_H
#include <stdint.h>
#include "hd.h"

namespace archway {

constexpr int kReduceLanes = 256;        /* lanes per tile: one CUDA block of 256 threads */
constexpr int64_t kReduceMaxTiles = 1024; /* = ARCHWAY_REDUCE_MAX_TILES: partials of pass 1 */
constexpr int64_t kReduceTileMin = 4096;  /* elements per tile before a second tile is opened */

ARCHWAY_HD int64_t reduce_tiles(int64_t n) {
  int64_t t = (n + kReduceTileMin - 1) / kReduceTileMin;
  return t < 1 ? 1 : (t > kReduceMaxTiles ? kReduceMaxTiles : t);
}

/* First element of tile p of `tiles` balanced tiles over [0, n) (sizes differ by at most one). */
ARCHWAY_HD int64_t reduce_tile_begin(int64_t n, int64_t tiles, int64_t p) {
  const int64_t q = n / tiles, r = n % tiles;
  return p * q + (p < r ? p : r);
}

/* Lane `lane`'s share of a tile [b, e): the one CUDA thread's serial sum. */
template <class Term>
ARCHWAY_HD double reduce_lane(const Term& term, int64_t b, int64_t e, int lane) {
  double s = 0.0;
  for (int64_t i = b + lane; i < e; i += kReduceLanes) s += term(i);
  return s;
}

/* The fixed tree over kReduceLanes lane sums (destroys lanes); the CUDA block does the same pairs. */
ARCHWAY_HD double reduce_tree(double* lanes) {
  for (int s = kReduceLanes / 2; s > 0; s >>= 1)
    for (int t = 0; t < s; ++t) lanes[t] += lanes[t + s];
  return lanes[0];
}

/* One tile summed exactly as one CUDA block sums it (host form: rows of kReduceLanes, lane order kept). */
template <class Term>
ARCHWAY_HD double reduce_tile(const Term& term, int64_t b, int64_t e) {
  double lanes[kReduceLanes];
  for (int t = 0; t < kReduceLanes; ++t) lanes[t] = 0.0;
  int64_t i = b;
  for (; i + kReduceLanes <= e; i += kReduceLanes)
    for (int t = 0; t < kReduceLanes; ++t) lanes[t] += term(i + t);
  for (int t = 0; i + t < e; ++t) lanes[t] += term(i + t);
  return reduce_tree(lanes);
}

/* The terms the kernels reduce. Each is a product of two floats (exact in double). */
struct SumSqTerm {
  const float* x;
  ARCHWAY_HD double operator()(int64_t i) const { return (double)x[i] * (double)x[i]; }
};
struct DotTerm {
  const float* a;
  const float* b;
  ARCHWAY_HD double operator()(int64_t i) const { return (double)a[i] * (double)b[i]; }
};
/* The ZO weight term <w~ - w, g>: the difference is rounded to float first (as the float twin would hold it). */
struct DiffDotTerm {
  const float* a;
  const float* b;
  const float* g;
  ARCHWAY_HD double operator()(int64_t i) const { return (double)(a[i] - b[i]) * (double)g[i]; }
};
/* Pass 2 reads the tile partials of pass 1. */
struct PartialTerm {
  const double* p;
  ARCHWAY_HD double operator()(int64_t i) const { return p[i]; }
};

/* Global gradient-norm clipping (torch.nn.utils.clip_grad_norm_): the factor applied when it is < 1. */
ARCHWAY_HD double clip_coef(double norm, double max_norm) { return max_norm / (norm + 1e-6); }

}  // namespace archway
#endif
