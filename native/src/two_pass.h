// The CPU side of the deterministic two-pass sum of archway/math/reduce.h: tiles in parallel, then the
// tile partials in one fixed pass. Bit-identical to the CUDA reduction (cuda-kernels/reduce.cuh).
#ifndef ARCHWAY_SRC_TWO_PASS_H
#define ARCHWAY_SRC_TWO_PASS_H
#include <stdint.h>
#include "archway/math/reduce.h"
#include "reduce.h"

namespace archway {

template <class Term>
inline double two_pass_sum(int64_t n, const Term& term) {
  const int64_t tiles = reduce_tiles(n);
  double partial[kReduceMaxTiles];
#pragma omp parallel for schedule(static) if (n >= kParallelMin)
  for (int64_t p = 0; p < tiles; ++p)
    partial[p] = reduce_tile(term, reduce_tile_begin(n, tiles, p), reduce_tile_begin(n, tiles, p + 1));
  return reduce_tile(PartialTerm{partial}, 0, tiles);
}

}  // namespace archway
#endif
