// Philox streams on the GPU; identical to native/src/philox.cpp by construction (shared math header).
#include "archway/math/philox.h"
#include "launch.cuh"

using archway_cuda::for_each;

extern "C" {

int32_t archway_cuda_philox_uniform(float* out, int64_t n, uint64_t seed, uint32_t purpose, uint32_t step,
                                    void* stream) {
  if (out == nullptr || n < 0) return ARCHWAY_EINVAL;
  return for_each(n, stream, [=] __device__(int64_t i) { out[i] = archway::philox_uniform_at(seed, purpose, step, i); });
}

int32_t archway_cuda_philox_normal(float* out, int64_t n, uint64_t seed, uint32_t purpose, uint32_t step,
                                   void* stream) {
  if (out == nullptr || n < 0) return ARCHWAY_EINVAL;
  return for_each(n, stream, [=] __device__(int64_t i) { out[i] = archway::philox_normal_at(seed, purpose, step, i); });
}

}  // extern "C"
