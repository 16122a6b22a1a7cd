/* CUDA half of the ABI in native/include/archway.h: same conventions, plus a cudaStream_t passed as
 * void* so the header needs no CUDA include. Device pointers are plain addresses from the JVM. */
#ifndef ARCHWAY_CUDA_H
#define ARCHWAY_CUDA_H
#include <stdint.h>
#include "archway.h"
#ifdef __cplusplus
extern "C" {
#endif
/* Number of CUDA devices; on failure writes the CUDA runtime's message into msg (cap bytes). */
int32_t archway_cuda_device_count(int32_t* count, char* msg, int32_t cap);
/* Name, memory (bytes) and compute capability of device `index`. */
int32_t archway_cuda_device_info(int32_t index, char* name, int32_t cap, int64_t* total_mem, int32_t* major,
                                 int32_t* minor);
/* Device memory (plain cudaMalloc) and synchronous copies. */
int32_t archway_cuda_malloc(void** ptr, int64_t bytes);
int32_t archway_cuda_free(void* ptr);
int32_t archway_cuda_memcpy_h2d(void* dst, const void* src, int64_t bytes);
int32_t archway_cuda_memcpy_d2h(void* dst, const void* src, int64_t bytes);
int32_t archway_cuda_synchronize(void);
int32_t archway_cuda_philox_uniform(float* out, int64_t n, uint64_t seed, uint32_t purpose, uint32_t step,
                                    void* stream);
int32_t archway_cuda_philox_normal(float* out, int64_t n, uint64_t seed, uint32_t purpose, uint32_t step,
                                   void* stream);
#ifdef __cplusplus
}
#endif
#endif
