// Philox streams on the GPU; identical to native/src/philox.cpp by construction (shared math header).
#include <cuda_runtime.h>
#include "archway.h"
#include "archway/math/philox.h"

namespace {
__global__ void philox_uniform_kernel(float* out, int64_t n, uint64_t seed, uint32_t purpose, uint32_t step) {
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
    out[i] = archway::philox_uniform_at(seed, purpose, step, i);
}
__global__ void philox_normal_kernel(float* out, int64_t n, uint64_t seed, uint32_t purpose, uint32_t step) {
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
    out[i] = archway::philox_normal_at(seed, purpose, step, i);
}
int grid_for(int64_t n) {
  int64_t blocks = (n + 255) / 256;
  return (int)(blocks < 65535 ? (blocks > 0 ? blocks : 1) : 65535);
}
}  // namespace

extern "C" {


int32_t archway_cuda_philox_uniform(float* out, int64_t n, uint64_t seed, uint32_t purpose, uint32_t step,
                                    void* stream) {
  if (out == nullptr || n < 0) return ARCHWAY_EINVAL;
  philox_uniform_kernel<<<grid_for(n), 256, 0, (cudaStream_t)stream>>>(out, n, seed, purpose, step);
  return cudaGetLastError() == cudaSuccess ? ARCHWAY_OK : ARCHWAY_ECUDA;
}

int32_t archway_cuda_philox_normal(float* out, int64_t n, uint64_t seed, uint32_t purpose, uint32_t step,
                                   void* stream) {
  if (out == nullptr || n < 0) return ARCHWAY_EINVAL;
  philox_normal_kernel<<<grid_for(n), 256, 0, (cudaStream_t)stream>>>(out, n, seed, purpose, step);
  return cudaGetLastError() == cudaSuccess ? ARCHWAY_OK : ARCHWAY_ECUDA;
}

}  // extern "C"
