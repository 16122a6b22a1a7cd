// Perturbations of flat buffers: FlatNAS multiplicative weight noise and the ZO twins theta +- mu z.
#include "archway.h"
#include "archway/math/elementwise.h"
#include "reduce.h"

using archway::kParallelMin;

extern "C" {

int32_t archway_cpu_weight_noise(const float* w, float* out, int64_t n, float sigma, uint64_t seed, uint32_t purpose,
                                 uint32_t step) {
  if (n < 0 || (n > 0 && (w == nullptr || out == nullptr))) return ARCHWAY_EINVAL;
#pragma omp parallel for schedule(static) if (n >= kParallelMin / 8)
  for (int64_t i = 0; i < n; ++i) out[i] = archway::weight_noise_at(w[i], sigma, seed, purpose, step, i);
  return ARCHWAY_OK;
}

int32_t archway_cpu_zo_perturb(const float* theta, const float* z, float mu, float* plus, float* minus, int64_t n) {
  if (n < 0 || (n > 0 && (theta == nullptr || z == nullptr || plus == nullptr))) return ARCHWAY_EINVAL;
#pragma omp parallel for schedule(static) if (n >= kParallelMin)
  for (int64_t i = 0; i < n; ++i) {
    const float t = theta[i], zi = z[i];  // read both first: plus or minus may alias theta
    plus[i] = archway::zo_perturb_at(t, zi, mu, 1.0f);
    if (minus != nullptr) minus[i] = archway::zo_perturb_at(t, zi, mu, -1.0f);
  }
  return ARCHWAY_OK;
}

}  // extern "C"
