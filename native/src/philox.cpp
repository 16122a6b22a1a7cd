// Philox streams on the CPU; the math is shared with cuda-kernels/philox.cu (archway/math/philox.h).
#include <cmath>
#include "archway.h"
#include "archway/math/philox.h"

extern "C" {

int32_t archway_cpu_philox_uniform(float* out, int64_t n, uint64_t seed, uint32_t purpose, uint32_t step) {
  if (out == nullptr || n < 0) return ARCHWAY_EINVAL;
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n; ++i) out[i] = archway::philox_uniform_at(seed, purpose, step, i);
  return ARCHWAY_OK;
}

int32_t archway_cpu_philox_normal(float* out, int64_t n, uint64_t seed, uint32_t purpose, uint32_t step) {
  if (out == nullptr || n < 0) return ARCHWAY_EINVAL;
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n; ++i) out[i] = archway::philox_normal_at(seed, purpose, step, i);
  return ARCHWAY_OK;
}

}  // extern "C"
