// The DARTS mixed edge on the GPU. Forward: one thread per element through archway::mixed_fwd_at.
// Backward, one pass over dy: each block owns one tile of the two-pass order (archway/math/reduce.h),
// writes dxs[k] = w[k] dy for the active candidates and reduces all K dot products <dy, xs[k]> into
// per-tile partials; a second kernel sums the partials per candidate. Zero weights are read on the
// device, so a sparsemax zero skips its reads and writes without a host round trip.
#include "archway/math/mixed.h"
#include "reduce.cuh"

using namespace archway_cuda;

namespace {

struct Candidates {
  const float* x[archway::kMixedMaxK];
  float* dx[archway::kMixedMaxK];
};

Candidates candidates(const float* const* xs, float* const* dxs, int32_t k) {
  Candidates c{};
  for (int32_t j = 0; j < k; ++j) {
    c.x[j] = xs[j];
    c.dx[j] = dxs != nullptr ? dxs[j] : nullptr;
  }
  return c;
}

__global__ void mixed_fwd_kernel(Candidates c, const float* w, int32_t k, int64_t n, float* y, int32_t accumulate) {
  float wl[archway::kMixedMaxK];
  for (int32_t j = 0; j < k; ++j) wl[j] = w[j];
  for (int64_t i = first_index(); i < n; i += grid_stride())
    y[i] = archway::mixed_fwd_at(c.x, wl, k, i, accumulate ? y[i] : 0.0f, accumulate);
}

// Pass 1 of the backward: dx writes and the K tile partials (partial[j * tiles + p]).
__global__ void __launch_bounds__(kReduceLanes) mixed_bwd_tiles_kernel(Candidates c, const float* w, int32_t k,
                                                                      int64_t n, int64_t tiles, const float* dy,
                                                                      int32_t accumulate_dx, int32_t want_dw,
                                                                      double* partial) {
  __shared__ double lanes[kReduceLanes];
  const int64_t p = blockIdx.x, b = archway::reduce_tile_begin(n, tiles, p),
                e = archway::reduce_tile_begin(n, tiles, p + 1);
  float wl[archway::kMixedMaxK];
  double acc[archway::kMixedMaxK];
  for (int32_t j = 0; j < k; ++j) {
    wl[j] = w[j];
    acc[j] = 0.0;
  }
  for (int64_t i = b + threadIdx.x; i < e; i += kReduceLanes) {
    const float g = dy[i];
    for (int32_t j = 0; j < k; ++j) {
      if (c.dx[j] != nullptr && wl[j] != 0.0f)
        c.dx[j][i] = archway::mixed_dx_at(wl[j], g, accumulate_dx ? c.dx[j][i] : 0.0f, accumulate_dx);
      if (want_dw && c.x[j] != nullptr) acc[j] += archway::DotTerm{&g, c.x[j] + i}(0);
    }
  }
  if (!want_dw) return;
  for (int32_t j = 0; j < k; ++j) {
    if (c.x[j] == nullptr) continue;  // uniform across the block: every thread skips together
    lanes[threadIdx.x] = acc[j];
    __syncthreads();
    for (int s = kReduceLanes / 2; s > 0; s >>= 1) {
      if ((int)threadIdx.x < s) lanes[threadIdx.x] += lanes[threadIdx.x + s];
      __syncthreads();
    }
    if (threadIdx.x == 0) partial[j * tiles + p] = lanes[0];
    __syncthreads();
  }
}

// Pass 2: block j sums candidate j's partials into dw[j] (a "none" candidate contributes 0).
__global__ void __launch_bounds__(kReduceLanes) mixed_bwd_final_kernel(Candidates c, int64_t tiles,
                                                                      const double* partial, float* dw,
                                                                      int32_t accumulate_dw) {
  __shared__ double lanes[kReduceLanes];
  const int32_t j = blockIdx.x;
  double s = 0.0;
  if (c.x[j] != nullptr) s = block_tile_sum(archway::PartialTerm{partial + j * tiles}, 0, tiles, lanes);
  if (threadIdx.x == 0) dw[j] = accumulate_dw ? dw[j] + (float)s : (float)s;
}

}  // namespace

extern "C" {

int32_t archway_cuda_mixed_fwd(const float* const* xs, const float* w, int32_t k, int64_t n, float* y,
                               int32_t accumulate, void* stream) {
  if (k < 1 || k > archway::kMixedMaxK || n < 0 || xs == nullptr || w == nullptr || (n > 0 && y == nullptr))
    return ARCHWAY_EINVAL;
  if (n == 0) return ARCHWAY_OK;
  mixed_fwd_kernel<<<grid_for(n), kThreads, 0, stream_of(stream)>>>(candidates(xs, nullptr, k), w, k, n, y, accumulate);
  return launched();
}

int32_t archway_cuda_mixed_bwd(const float* const* xs, const float* w, int32_t k, int64_t n, const float* dy,
                               float* const* dxs, float* dw, int32_t accumulate_dx, int32_t accumulate_dw,
                               double* scratch, int64_t scratch_len, void* stream) {
  if (k < 1 || k > archway::kMixedMaxK || n < 0 || xs == nullptr || w == nullptr || (n > 0 && dy == nullptr))
    return ARCHWAY_EINVAL;
  if (dw != nullptr && !scratch_ok(scratch, scratch_len, n, k)) return ARCHWAY_EINVAL;
  const Candidates c = candidates(xs, dxs, k);
  const int64_t tiles = archway::reduce_tiles(n);
  cudaStream_t s = stream_of(stream);
  mixed_bwd_tiles_kernel<<<(unsigned)tiles, kReduceLanes, 0, s>>>(c, w, k, n, tiles, dy, accumulate_dx,
                                                                  dw != nullptr, scratch);
  if (dw != nullptr) mixed_bwd_final_kernel<<<k, kReduceLanes, 0, s>>>(c, tiles, scratch, dw, accumulate_dw);
  return launched();
}

}  // extern "C"
