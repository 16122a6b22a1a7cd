// Flat-buffer reductions in the two-pass order the GPU uses (archway/math/reduce.h), and the kernels
// built on them: gradient-norm clipping, the ZO weight term and ZO unit directions.
#include <math.h>
#include "archway.h"
#include "archway/math/elementwise.h"
#include "archway/math/philox.h"
#include "two_pass.h"

using archway::kParallelMin;

extern "C" {

int32_t archway_cpu_sumsq_two_pass(const float* x, int64_t n, double* out) {
  if (n < 0 || out == nullptr || (n > 0 && x == nullptr)) return ARCHWAY_EINVAL;
  *out = archway::two_pass_sum(n, archway::SumSqTerm{x});
  return ARCHWAY_OK;
}

int32_t archway_cpu_dot_two_pass(const float* a, const float* b, int64_t n, double* out) {
  if (n < 0 || out == nullptr || (n > 0 && (a == nullptr || b == nullptr))) return ARCHWAY_EINVAL;
  *out = archway::two_pass_sum(n, archway::DotTerm{a, b});
  return ARCHWAY_OK;
}

int32_t archway_cpu_clip_grad_norm(float* g, int64_t n, float max_norm, double* norm) {
  if (n < 0 || (n > 0 && g == nullptr) || !(max_norm > 0.0f)) return ARCHWAY_EINVAL;
  const double nrm = sqrt(archway::two_pass_sum(n, archway::SumSqTerm{g}));
  const double coef = archway::clip_coef(nrm, (double)max_norm);
  if (coef < 1.0) {
    const float c = (float)coef;
#pragma omp parallel for schedule(static) if (n >= kParallelMin)
    for (int64_t i = 0; i < n; ++i) g[i] = archway::scale_at(c, g[i]);
  }
  if (norm != nullptr) *norm = nrm;
  return ARCHWAY_OK;
}

int32_t archway_cpu_zo_weight_term(const float* w_twin, const float* w, const float* g, int64_t n, double* out) {
  if (n < 0 || out == nullptr || (n > 0 && (w_twin == nullptr || w == nullptr || g == nullptr))) return ARCHWAY_EINVAL;
  *out = archway::two_pass_sum(n, archway::DiffDotTerm{w_twin, w, g});
  return ARCHWAY_OK;
}

int32_t archway_cpu_zo_direction(float* z, int64_t d, uint64_t seed, uint32_t purpose, uint32_t step) {
  if (d < 1 || z == nullptr) return ARCHWAY_EINVAL;
#pragma omp parallel for schedule(static) if (d >= kParallelMin)
  for (int64_t i = 0; i < d; ++i) z[i] = archway::philox_normal_at(seed, purpose, step, i);
  const double nrm = sqrt(archway::two_pass_sum(d, archway::SumSqTerm{z}));
  if (!(nrm > 0.0)) return ARCHWAY_EINVAL;  // d = 1 with a zero draw: no direction exists
#pragma omp parallel for schedule(static) if (d >= kParallelMin)
  for (int64_t i = 0; i < d; ++i) z[i] = archway::zo_direction_at(z[i], nrm);
  return ARCHWAY_OK;
}

}  // extern "C"
