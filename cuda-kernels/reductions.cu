// Two-pass reductions (archway/math/reduce.h) and the kernels built on them: L2 norm, dot products,
// the ZO weight term, gradient-norm clipping and ZO unit directions. Results stay on the device.
#include <math.h>
#include "archway/math/elementwise.h"
#include "archway/math/philox.h"
#include "reduce.cuh"

using namespace archway_cuda;

namespace {

// Pass 2 of clipping and of directions: sqrt of the sum into the slot after the partials (and *norm).
struct StoreNorm {
  double* slot;
  double* norm;
  __device__ void operator()(double s) const {
    const double r = sqrt(s);
    *slot = r;
    if (norm != nullptr) *norm = r;
  }
};

}  // namespace

extern "C" {

int32_t archway_cuda_sumsq_two_pass(const float* x, int64_t n, double* out, double* scratch, int64_t scratch_len,
                                    void* stream) {
  if (n < 0 || out == nullptr || (n > 0 && x == nullptr) || !scratch_ok(scratch, scratch_len, n, 1))
    return ARCHWAY_EINVAL;
  return two_pass(archway::SumSqTerm{x}, n, scratch, StoreSum{out}, stream_of(stream));
}

int32_t archway_cuda_dot_two_pass(const float* a, const float* b, int64_t n, double* out, double* scratch,
                                  int64_t scratch_len, void* stream) {
  if (n < 0 || out == nullptr || (n > 0 && (a == nullptr || b == nullptr)) || !scratch_ok(scratch, scratch_len, n, 1))
    return ARCHWAY_EINVAL;
  return two_pass(archway::DotTerm{a, b}, n, scratch, StoreSum{out}, stream_of(stream));
}

int32_t archway_cuda_zo_weight_term(const float* w_twin, const float* w, const float* g, int64_t n, double* out,
                                    double* scratch, int64_t scratch_len, void* stream) {
  if (n < 0 || out == nullptr || (n > 0 && (w_twin == nullptr || w == nullptr || g == nullptr)) ||
      !scratch_ok(scratch, scratch_len, n, 1))
    return ARCHWAY_EINVAL;
  return two_pass(archway::DiffDotTerm{w_twin, w, g}, n, scratch, StoreSum{out}, stream_of(stream));
}

int32_t archway_cuda_clip_grad_norm(float* g, int64_t n, float max_norm, double* norm, double* scratch,
                                    int64_t scratch_len, void* stream) {
  if (n < 0 || (n > 0 && g == nullptr) || !(max_norm > 0.0f) || !scratch_ok(scratch, scratch_len, n, 1))
    return ARCHWAY_EINVAL;
  const double* slot = scratch + archway::reduce_tiles(n);
  int32_t rc = two_pass(archway::SumSqTerm{g}, n, scratch, StoreNorm{scratch + archway::reduce_tiles(n), norm},
                        stream_of(stream));
  if (rc != ARCHWAY_OK) return rc;
  const double mx = (double)max_norm;
  return for_each(n, stream, [=] __device__(int64_t i) {
    const double coef = archway::clip_coef(*slot, mx);
    if (coef < 1.0) g[i] = archway::scale_at((float)coef, g[i]);
  });
}

int32_t archway_cuda_zo_direction(float* z, int64_t d, uint64_t seed, uint32_t purpose, uint32_t step,
                                  double* scratch, int64_t scratch_len, void* stream) {
  if (d < 1 || z == nullptr || !scratch_ok(scratch, scratch_len, d, 1)) return ARCHWAY_EINVAL;
  int32_t rc = for_each(d, stream, [=] __device__(int64_t i) { z[i] = archway::philox_normal_at(seed, purpose, step, i); });
  if (rc != ARCHWAY_OK) return rc;
  double* slot = scratch + archway::reduce_tiles(d);
  rc = two_pass(archway::SumSqTerm{z}, d, scratch, StoreNorm{slot, nullptr}, stream_of(stream));
  if (rc != ARCHWAY_OK) return rc;
  return for_each(d, stream, [=] __device__(int64_t i) { z[i] = archway::zo_direction_at(z[i], *slot); });
}

}  // extern "C"
