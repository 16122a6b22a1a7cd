/* The DARTS mixed edge per element: y = sum over active k of w[k] xs[k][i], active = xs[k] != null and
 * w[k] != 0 exactly (a sparsemax zero costs nothing). The CPU kernel runs the same two steps blocked
 * (first active op, then the rest in k order); the GPU runs mixed_fwd_at per element. */
#ifndef ARCHWAY_MATH_MIXED_H
#define ARCHWAY_MATH_MIXED_H
#include <math.h>
#include <stdint.h>
#include "hd.h"

namespace archway {

constexpr int kMixedMaxK = 16; /* = ARCHWAY_MIXED_MAX_K: candidates a CUDA launch takes by value */

ARCHWAY_HD bool mixed_active(const float* x, float w) { return x != 0 && w != 0.0f; }
ARCHWAY_HD float mixed_first(float w, float x) { return w * x; }
/* Fused multiply-add, spelled out so that every compiler and the GPU round it the same way. */
ARCHWAY_HD float mixed_add(float acc, float w, float x) { return fmaf(w, x, acc); }

/* y[i]: prev is y[i] before the call (read only when accumulating). */
ARCHWAY_HD float mixed_fwd_at(const float* const* xs, const float* w, int k, int64_t i, float prev, int accumulate) {
  float acc = prev;
  bool first = !accumulate;
  for (int j = 0; j < k; ++j) {
    if (!mixed_active(xs[j], w[j])) continue;
    acc = first ? mixed_first(w[j], xs[j][i]) : mixed_add(acc, w[j], xs[j][i]);
    first = false;
  }
  return first ? 0.0f : acc;
}

/* dxs[k][i] (+)= w[k] dy[i]. */
ARCHWAY_HD float mixed_dx_at(float w, float dy, float prev, int accumulate) {
  return accumulate ? fmaf(w, dy, prev) : w * dy;
}

}  // namespace archway
#endif
