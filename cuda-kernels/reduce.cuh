// The CUDA side of the deterministic two-pass sum (archway/math/reduce.h): one block of kReduceLanes
// threads per tile, each thread one lane, the lanes combined by the header's tree in shared memory;
// then one block over the tile partials. The same double additions in the same order as the CPU's
// two_pass_sum, hence bit-identical results; no atomics, so reruns are bit-identical too.
#ifndef ARCHWAY_CUDA_REDUCE_CUH
#define ARCHWAY_CUDA_REDUCE_CUH
#include "archway/math/reduce.h"
#include "launch.cuh"

namespace archway_cuda {

using archway::kReduceLanes;

// Sum of terms [b, e) by the calling block (blockDim.x == kReduceLanes); the result is returned to
// every thread. `lanes` is the block's shared buffer of kReduceLanes doubles.
template <class Term>
__device__ double block_tile_sum(const Term& term, int64_t b, int64_t e, double* lanes) {
  const int t = threadIdx.x;
  lanes[t] = archway::reduce_lane(term, b, e, t);
  __syncthreads();
  for (int s = kReduceLanes / 2; s > 0; s >>= 1) {
    if (t < s) lanes[t] += lanes[t + s];
    __syncthreads();
  }
  const double r = lanes[0];
  __syncthreads();  // the buffer may be reused right after
  return r;
}

// Pass 1: block p writes the partial of tile p.
template <class Term>
__global__ void __launch_bounds__(kReduceLanes) tile_partials_kernel(Term term, int64_t n, int64_t tiles,
                                                                    double* partial) {
  __shared__ double lanes[kReduceLanes];
  const int64_t p = blockIdx.x;
  const double s = block_tile_sum(term, archway::reduce_tile_begin(n, tiles, p),
                                  archway::reduce_tile_begin(n, tiles, p + 1), lanes);
  if (threadIdx.x == 0) partial[p] = s;
}

// Pass 2: one block sums the partials and hands the total to `finish` (thread 0).
template <class Finish>
__global__ void __launch_bounds__(kReduceLanes) tile_final_kernel(const double* partial, int64_t tiles,
                                                                 Finish finish) {
  __shared__ double lanes[kReduceLanes];
  const double s = block_tile_sum(archway::PartialTerm{partial}, 0, tiles, lanes);
  if (threadIdx.x == 0) finish(s);
}

// Writes the sum to a device double.
struct StoreSum {
  double* out;
  __device__ void operator()(double s) const { *out = s; }
};

// The scratch a k-way reduction of n terms needs: k tile partials each, plus one result slot.
inline bool scratch_ok(const double* scratch, int64_t scratch_len, int64_t n, int64_t k) {
  return scratch != nullptr && scratch_len >= k * archway::reduce_tiles(n) + 1;
}

// Both passes of sum_{i<n} term(i); `finish` receives the total on the device.
template <class Term, class Finish>
int32_t two_pass(const Term& term, int64_t n, double* scratch, const Finish& finish, cudaStream_t stream) {
  const int64_t tiles = archway::reduce_tiles(n);
  tile_partials_kernel<<<(unsigned)tiles, kReduceLanes, 0, stream>>>(term, n, tiles, scratch);
  tile_final_kernel<<<1, kReduceLanes, 0, stream>>>(scratch, tiles, finish);
  return launched();
}

}  // namespace archway_cuda
#endif
