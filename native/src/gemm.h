// Packed single-precision GEMM used by convolution and linear layers.
//
// C[m x n] (+)= A[m x k] * B[k x n] where A and B are read through (row stride, column stride) pairs,
// so transposed operands cost nothing extra: the packing step reorders them anyway.
//
// Packed layouts (both zero-padded to whole panels, so the micro-kernel never branches on edges):
//  - A: K is cut into blocks of at most KC (block b starts at row p0 = b*KC); block b lives at
//    offset p0 * round_up(m, MR), and inside it panel i (rows i*MR..) is kc x MR, row p contiguous.
//  - B: same with NR-wide column panels: block b at offset p0 * round_up(n, NR), panel j kc x NR.
// Callers that generate B on the fly (im2col) write straight into this layout.
#ifndef ARCHWAY_NATIVE_GEMM_H
#define ARCHWAY_NATIVE_GEMM_H

#include <cstdint>

namespace archway::gemm {

// Register tile: MR rows of A x NR columns of B held in vector accumulators.
// AVX-512: 8 x 32 = 16 zmm accumulators (enough independent FMA chains to hide latency on two FMA
// ports) + 2 B loads and 8 embedded broadcasts per step. MR = 8 divides the channel counts we run
// (16, 32, 64) so there is no waste on M. AVX2: 4 x 24 = 12 ymm accumulators.
#if defined(__AVX512F__)
inline constexpr int MR = 8;
inline constexpr int NR = 32;
#elif defined(__AVX2__) && defined(__FMA__)
inline constexpr int MR = 4;
inline constexpr int NR = 24;
#else
inline constexpr int MR = 4;
inline constexpr int NR = 8;
#endif

// K block: a kc x NR B panel (32 KiB at KC = 256, NR = 32) stays in L1 while A panels stream past it.
inline constexpr int KC = 256;

inline constexpr int64_t round_up(int64_t v, int64_t m) { return (v + m - 1) / m * m; }

// Floats needed for a packed A (m rows) or B (n columns) over the full depth k.
inline int64_t packed_a_size(int m, int k) { return round_up(m, MR) * (int64_t)k; }
inline int64_t packed_b_size(int k, int n) { return round_up(n, NR) * (int64_t)k; }

// Packs A(i, p) = a[i * rs + p * cs], 0 <= i < m, 0 <= p < k, in the blocked layout above.
void pack_a(int m, int k, const float* a, int64_t rs, int64_t cs, float* dst);
// Packs B(p, j) = b[p * rs + j * cs], 0 <= p < k, 0 <= j < n, in the blocked layout above.
void pack_b(int k, int n, const float* b, int64_t rs, int64_t cs, float* dst);

// C (+)= A_packed * B_packed over one K block of depth kc. pa / pb point at that block
// (offset p0 * round_up(m, MR) / p0 * round_up(n, NR)). accumulate = false overwrites C.
void macro_kernel(int m, int n, int kc, const float* pa, const float* pb, float* c, int64_t ldc, bool accumulate);

// Whole product over depth k from packed operands (loops over the K blocks).
void gemm_packed(int m, int n, int k, const float* pa, const float* pb, float* c, int64_t ldc, bool accumulate);

// Single-threaded C[m x n] (+)= A B with strided operands; packs into thread-local scratch.
void sgemm(int m, int n, int k, const float* a, int64_t a_rs, int64_t a_cs, const float* b, int64_t b_rs,
           int64_t b_cs, float* c, int64_t ldc, bool accumulate);

// As sgemm, split over the OpenMP team by output rows or columns. Every element of C is reduced over
// k in the same order whatever the thread count, so results do not depend on it.
void sgemm_parallel(int m, int n, int k, const float* a, int64_t a_rs, int64_t a_cs, const float* b, int64_t b_rs,
                    int64_t b_cs, float* c, int64_t ldc, bool accumulate);

}  // namespace archway::gemm

#endif
