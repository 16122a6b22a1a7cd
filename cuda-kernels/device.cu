// Device discovery for `nas devices`: reports the runtime's own message when there is no usable GPU.
#include <cstdio>
#include <cuda_runtime.h>
#include "archway.h"

extern "C" {

int32_t archway_cuda_device_count(int32_t* count, char* msg, int32_t cap) {
  int c = 0;
  cudaError_t e = cudaGetDeviceCount(&c);
  if (e != cudaSuccess) {
    *count = 0;
    if (msg != nullptr && cap > 0) std::snprintf(msg, (size_t)cap, "%s", cudaGetErrorString(e));
    return ARCHWAY_ECUDA;
  }
  *count = c;
  return ARCHWAY_OK;
}

int32_t archway_cuda_device_info(int32_t index, char* name, int32_t cap, int64_t* total_mem, int32_t* major,
                                 int32_t* minor) {
  cudaDeviceProp p;
  if (cudaGetDeviceProperties(&p, index) != cudaSuccess) return ARCHWAY_ECUDA;
  if (name != nullptr && cap > 0) std::snprintf(name, (size_t)cap, "%s", p.name);
  *total_mem = (int64_t)p.totalGlobalMem;
  *major = p.major;
  *minor = p.minor;
  return ARCHWAY_OK;
}

}  // extern "C"
