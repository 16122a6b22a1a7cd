/* ARCHWAY_HD marks math that compiles for both host (g++) and device (nvcc). */
#ifndef ARCHWAY_MATH_HD_H
#define ARCHWAY_MATH_HD_H
#if defined(__CUDACC__)
#define ARCHWAY_HD __host__ __device__ __forceinline__
#else
#define ARCHWAY_HD inline
#endif

/* a * b rounded on its own, never fused into a following add by FMA contraction: for the gather-form
 * bodies of CUDA kernels that must repeat a CPU kernel which rounds the product first. Device:
 * __fmul_rn (never contracted). Host: an empty asm makes the product opaque to the compiler's
 * contraction; it also blocks vectorisation, so CPU kernel loops never call this. */
namespace archway {
#if defined(__CUDACC__)
__host__ __device__ __forceinline__
#else
inline
#endif
float mul_rounded(float a, float b) {
#if defined(__CUDA_ARCH__)
  return __fmul_rn(a, b);
#elif defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  float p = a * b;
  __asm__("" : "+x"(p));
  return p;
#else
  volatile float p = a * b;
  return p;
#endif
}
}  // namespace archway
#endif
