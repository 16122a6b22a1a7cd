// The DARTS mixed edge y = sum_k w[k] xs[k] and its one-pass backward. Null xs[k] (op "none") and
// w[k] == 0 (sparsemax zeros) are skipped, which is where sparse search saves its time.
#include <string.h>
#include <vector>
#include "archway.h"
#include "archway/math/mixed.h"
#include "reduce.h"

namespace {

// Elements per block: K candidate blocks plus dy/y stay in L1/L2 while the op loop runs over them.
constexpr int64_t kBlock = 2048;

}  // namespace

extern "C" {

int32_t archway_cpu_mixed_fwd(const float* const* xs, const float* w, int32_t k, int64_t n, float* y,
                              int32_t accumulate) {
  if (k < 1 || n < 0 || xs == nullptr || w == nullptr || (n > 0 && y == nullptr)) return ARCHWAY_EINVAL;
  thread_local std::vector<int32_t> active;
  active.clear();
  for (int32_t j = 0; j < k; ++j)
    if (archway::mixed_active(xs[j], w[j])) active.push_back(j);
  const int32_t na = (int32_t)active.size();
  const int32_t* act = active.data();
  const int64_t blocks = (n + kBlock - 1) / kBlock;
#pragma omp parallel for schedule(static) if (n >= archway::kParallelMin)
  for (int64_t b = 0; b < blocks; ++b) {
    const int64_t i0 = b * kBlock, len = (n - i0 < kBlock) ? n - i0 : kBlock;
    float* yb = y + i0;
    int32_t a = 0;
    if (!accumulate) {
      if (na == 0) {
        memset(yb, 0, sizeof(float) * len);
        continue;
      }
      const float wj = w[act[0]];
      const float* xb = xs[act[0]] + i0;
      for (int64_t i = 0; i < len; ++i) yb[i] = archway::mixed_first(wj, xb[i]);
      a = 1;
    }
    for (; a < na; ++a) {
      const float wj = w[act[a]];
      const float* xb = xs[act[a]] + i0;
      for (int64_t i = 0; i < len; ++i) yb[i] = archway::mixed_add(yb[i], wj, xb[i]);
    }
  }
  return ARCHWAY_OK;
}

int32_t archway_cpu_mixed_bwd(const float* const* xs, const float* w, int32_t k, int64_t n, const float* dy,
                              float* const* dxs, float* dw, int32_t accumulate_dx, int32_t accumulate_dw) {
  if (k < 1 || n < 0 || xs == nullptr || w == nullptr || (n > 0 && dy == nullptr)) return ARCHWAY_EINVAL;
  // dx targets: non-null dxs entries with a non-zero weight; dot targets: every non-null xs (when dw given).
  thread_local std::vector<int32_t> dx_ops, dot_ops;
  dx_ops.clear();
  dot_ops.clear();
  for (int32_t j = 0; j < k; ++j) {
    if (dxs != nullptr && dxs[j] != nullptr && w[j] != 0.0f) dx_ops.push_back(j);
    if (dw != nullptr && xs[j] != nullptr) dot_ops.push_back(j);
  }
  const int32_t ndx = (int32_t)dx_ops.size(), ndot = (int32_t)dot_ops.size();
  const int32_t* dxo = dx_ops.data();
  const int32_t* doto = dot_ops.data();
  // Fixed chunking by n (reduce.h): chunk c accumulates its dot products in lane order into
  // partial[c * ndot + a]; chunks are summed in order afterwards, so dw is bit-reproducible.
  const int64_t chunks = archway::reduce_chunks(n);
  thread_local std::vector<double> partial;
  partial.assign((size_t)(chunks * ndot), 0.0);
  double* part = partial.data();
#pragma omp parallel for schedule(static) if (n >= archway::kParallelMin)
  for (int64_t c = 0; c < chunks; ++c) {
    const int64_t cb = archway::chunk_begin(n, chunks, c), ce = archway::chunk_begin(n, chunks, c + 1);
    for (int64_t i0 = cb; i0 < ce; i0 += kBlock) {
      const int64_t len = (ce - i0 < kBlock) ? ce - i0 : kBlock;
      const float* dyb = dy + i0;
      for (int32_t a = 0; a < ndx; ++a) {
        const float wj = w[dxo[a]];
        float* dxb = dxs[dxo[a]] + i0;
        if (accumulate_dx)
          for (int64_t i = 0; i < len; ++i) dxb[i] = archway::mixed_dx_at(wj, dyb[i], dxb[i], 1);
        else
          for (int64_t i = 0; i < len; ++i) dxb[i] = archway::mixed_dx_at(wj, dyb[i], 0.0f, 0);
      }
      for (int32_t a = 0; a < ndot; ++a) {
        const float* xb = xs[doto[a]] + i0;
        part[c * ndot + a] += archway::lane_sum(len, [=](int64_t i) { return (double)dyb[i] * (double)xb[i]; });
      }
    }
  }
  if (dw == nullptr) return ARCHWAY_OK;
  for (int32_t j = 0, a = 0; j < k; ++j) {
    double s = 0.0;
    if (a < ndot && doto[a] == j) {
      for (int64_t c = 0; c < chunks; ++c) s += part[c * ndot + a];
      ++a;
    }
    // A "none" op (null xs) has a zero gradient: written when overwriting, left alone when adding.
    dw[j] = accumulate_dw ? dw[j] + (float)s : (float)s;
  }
  return ARCHWAY_OK;
}

}  // extern "C"
