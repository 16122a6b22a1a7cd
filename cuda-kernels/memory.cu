// Device memory for tests and tools: allocation, copies, synchronisation. The engine's CUDA backend
// will allocate its arenas the same way (plain cudaMalloc, never managed memory).
#include <cstdio>
#include <cuda_runtime.h>
#include "archway.h"

extern "C" {

int32_t archway_cuda_malloc(void** ptr, int64_t bytes) {
  if (ptr == nullptr || bytes <= 0) return ARCHWAY_EINVAL;
  return cudaMalloc(ptr, (size_t)bytes) == cudaSuccess ? ARCHWAY_OK : ARCHWAY_ECUDA;
}

int32_t archway_cuda_free(void* ptr) {
  return cudaFree(ptr) == cudaSuccess ? ARCHWAY_OK : ARCHWAY_ECUDA;
}

int32_t archway_cuda_memcpy_h2d(void* dst, const void* src, int64_t bytes) {
  if (dst == nullptr || src == nullptr || bytes < 0) return ARCHWAY_EINVAL;
  return cudaMemcpy(dst, src, (size_t)bytes, cudaMemcpyHostToDevice) == cudaSuccess ? ARCHWAY_OK : ARCHWAY_ECUDA;
}

int32_t archway_cuda_memcpy_d2h(void* dst, const void* src, int64_t bytes) {
  if (dst == nullptr || src == nullptr || bytes < 0) return ARCHWAY_EINVAL;
  return cudaMemcpy(dst, src, (size_t)bytes, cudaMemcpyDeviceToHost) == cudaSuccess ? ARCHWAY_OK : ARCHWAY_ECUDA;
}

int32_t archway_cuda_memcpy_d2d(void* dst, const void* src, int64_t bytes, void* stream) {
  if (bytes < 0 || (bytes > 0 && (dst == nullptr || src == nullptr))) return ARCHWAY_EINVAL;
  if (bytes == 0) return ARCHWAY_OK;
  return cudaMemcpyAsync(dst, src, (size_t)bytes, cudaMemcpyDeviceToDevice, (cudaStream_t)stream) == cudaSuccess
             ? ARCHWAY_OK
             : ARCHWAY_ECUDA;
}

int32_t archway_cuda_synchronize(void) {
  return cudaDeviceSynchronize() == cudaSuccess ? ARCHWAY_OK : ARCHWAY_ECUDA;
}

}  // extern "C"
