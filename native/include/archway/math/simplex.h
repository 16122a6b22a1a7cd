/* Row-wise maps onto the probability simplex (softmax, sparsemax) at temperature T, on z = x / T.
 * Shared by the CPU and CUDA kernels; one row of `cols` values at a time. Rows are short (the
 * candidate ops of one edge), so the O(cols^2) sparsemax threshold below needs no sort and no scratch. */
#ifndef ARCHWAY_MATH_SIMPLEX_H
#define ARCHWAY_MATH_SIMPLEX_H
#include <math.h>
#include "hd.h"

namespace archway {

/* y = softmax(x / T), max-shifted; sums in double. */
ARCHWAY_HD void softmax_row(const float* x, float* y, int cols, float temperature) {
  const double inv_t = 1.0 / (double)temperature;
  float m = x[0];
  for (int i = 1; i < cols; ++i) m = x[i] > m ? x[i] : m;
  double s = 0.0;
  for (int i = 0; i < cols; ++i) {
    double e = exp(((double)x[i] - (double)m) * inv_t);
    y[i] = (float)e;
    s += e;
  }
  const double inv_s = 1.0 / s;
  for (int i = 0; i < cols; ++i) y[i] = (float)((double)y[i] * inv_s);
}

/* dx_i = (1/T) y_i (dy_i - sum_j dy_j y_j). */
ARCHWAY_HD void softmax_row_bwd(const float* y, const float* dy, float* dx, int cols, float temperature,
                                int accumulate) {
  double s = 0.0;
  for (int i = 0; i < cols; ++i) s += (double)dy[i] * (double)y[i];
  const double inv_t = 1.0 / (double)temperature;
  for (int i = 0; i < cols; ++i) {
    float g = (float)(inv_t * (double)y[i] * ((double)dy[i] - s));
    dx[i] = accumulate ? dx[i] + g : g;
  }
}

/* Sparsemax threshold tau of z = x / T (Martins & Astudillo 2016): with z sorted descending, k is the
 * largest k with 1 + k z_(k) > sum_{j<=k} z_(j) and tau = (sum_{j<=k} z_(j) - 1) / k. For each
 * candidate z_i we use the whole tie group {j : z_j >= z_i}: the support test gives the same answer
 * at every position of a tie group, so this equals the sorted rule, ties included. */
ARCHWAY_HD double sparsemax_tau(const float* x, int cols, float temperature) {
  const double inv_t = 1.0 / (double)temperature;
  int best_k = 0;
  double best_sum = 0.0;
  for (int i = 0; i < cols; ++i) {
    const double zi = (double)x[i] * inv_t;
    int k = 0;
    double s = 0.0;
    for (int j = 0; j < cols; ++j) {
      const double zj = (double)x[j] * inv_t;
      if (zj >= zi) { ++k; s += zj; }
    }
    if (1.0 + (double)k * zi > s && k > best_k) { best_k = k; best_sum = s; }
  }
  /* The largest entry always passes (1 + k z_max > k z_max >= s), so best_k >= 1 for finite rows. */
  return best_k > 0 ? (best_sum - 1.0) / (double)best_k : 0.0;
}

ARCHWAY_HD void sparsemax_row(const float* x, float* y, int cols, float temperature) {
  const double tau = sparsemax_tau(x, cols, temperature), inv_t = 1.0 / (double)temperature;
  for (int i = 0; i < cols; ++i) {
    const double v = (double)x[i] * inv_t - tau;
    y[i] = v > 0.0 ? (float)v : 0.0f;
  }
}

/* Jacobian-vector product on the support S = {i : y_i > 0}: dx_i = (1/T) [i in S] (dy_i - mean_S dy). */
ARCHWAY_HD void sparsemax_row_bwd(const float* y, const float* dy, float* dx, int cols, float temperature,
                                  int accumulate) {
  double s = 0.0;
  int k = 0;
  for (int i = 0; i < cols; ++i)
    if (y[i] > 0.0f) { s += (double)dy[i]; ++k; }
  const double mean = k > 0 ? s / (double)k : 0.0, inv_t = 1.0 / (double)temperature;
  for (int i = 0; i < cols; ++i) {
    float g = y[i] > 0.0f ? (float)(inv_t * ((double)dy[i] - mean)) : 0.0f;
    dx[i] = accumulate ? dx[i] + g : g;
  }
}

}  // namespace archway
#endif
