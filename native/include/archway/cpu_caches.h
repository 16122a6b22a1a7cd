// Per-core data cache sizes of the running CPU (dispatch/cpu_caches.cpp): one definition shared by
// every ISA variant of the kernels, so blocking follows the machine the library runs on.
#ifndef ARCHWAY_CPU_CACHES_H
#define ARCHWAY_CPU_CACHES_H

#include <cstdint>

namespace archway::caches {

int64_t l1d_bytes();
int64_t l2_bytes();

// Floats in one packed GEMM operand chunk (an M or N slice of A or B over the full depth): an eighth
// of L2, so the chunk of B, the A panels streaming past it and the C tiles fit together with room to
// spare (256 KiB on the 2 MiB-L2 Xeon the kernels were tuned on, 128 KiB on a 1 MiB-L2 Zen 4).
inline int64_t gemm_chunk_floats() { return l2_bytes() / 8 / (int64_t)sizeof(float); }

}  // namespace archway::caches

#endif
