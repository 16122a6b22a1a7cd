// Launch helpers shared by every kernel file: grid sizing for grid-stride loops and the status the ABI
// returns (a launch error is reported by the call that made it; execution errors surface at the next
// synchronisation, as everywhere in CUDA).
#ifndef ARCHWAY_CUDA_LAUNCH_CUH
#define ARCHWAY_CUDA_LAUNCH_CUH
#include <cuda_runtime.h>
#include <stdint.h>
#include "archway.h"

namespace archway_cuda {

constexpr int kThreads = 256;

// Enough blocks to give every element a thread, capped (grid-stride loops cover the rest).
inline int grid_for(int64_t n) {
  const int64_t blocks = (n + kThreads - 1) / kThreads;
  return (int)(blocks < 1 ? 1 : (blocks > (1 << 22) ? (1 << 22) : blocks));
}

inline cudaStream_t stream_of(void* s) { return (cudaStream_t)s; }

inline int32_t launched() { return cudaGetLastError() == cudaSuccess ? ARCHWAY_OK : ARCHWAY_ECUDA; }

// First index and stride of this thread in a grid-stride loop.
__device__ __forceinline__ int64_t first_index() { return blockIdx.x * (int64_t)blockDim.x + threadIdx.x; }
__device__ __forceinline__ int64_t grid_stride() { return (int64_t)gridDim.x * blockDim.x; }

template <class F>
__global__ void map_kernel(int64_t n, F f) {
  for (int64_t i = first_index(); i < n; i += grid_stride()) f(i);
}

// Runs f(i) for every i < n, one thread per element (f: a __device__ lambda, needs --extended-lambda).
template <class F>
int32_t for_each(int64_t n, void* stream, F f) {
  if (n == 0) return ARCHWAY_OK;
  map_kernel<<<grid_for(n), kThreads, 0, stream_of(stream)>>>(n, f);
  return launched();
}

}  // namespace archway_cuda
#endif
