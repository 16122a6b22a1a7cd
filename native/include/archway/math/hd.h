/* ARCHWAY_HD marks math that compiles for both host (g++) and device (nvcc). */
#ifndef ARCHWAY_MATH_HD_H
#define ARCHWAY_MATH_HD_H
#if defined(__CUDACC__)
#define ARCHWAY_HD __host__ __device__ __forceinline__
#else
#define ARCHWAY_HD inline
#endif
#endif
