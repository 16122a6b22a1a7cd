// Elementwise activations forward and backward, one thread per element through archway/math/activation.h.
#include "archway/math/activation.h"
#include "launch.cuh"

using archway_cuda::for_each;

namespace {

template <class F>
int32_t fwd(const float* x, float* y, int64_t n, void* stream, F f) {
  return for_each(n, stream, [=] __device__(int64_t i) { y[i] = f(x[i]); });
}

template <class G>
int32_t bwd(int32_t kind, const float* x, const float* dy, float* dx, int64_t n, int32_t accumulate, void* stream,
            G g) {
  const bool fused = archway::act_bwd_fused(kind);
  if (accumulate)
    return for_each(n, stream, [=] __device__(int64_t i) {
      dx[i] = archway::act_bwd_at(dy[i], g(x[i]), dx[i], 1, fused);
    });
  return for_each(n, stream, [=] __device__(int64_t i) { dx[i] = archway::act_bwd_at(dy[i], g(x[i]), 0.0f, 0, fused); });
}

}  // namespace

extern "C" {

int32_t archway_cuda_act_fwd(int32_t kind, const float* x, float* y, int64_t n, void* stream) {
  if (n < 0 || (n > 0 && (x == nullptr || y == nullptr))) return ARCHWAY_EINVAL;
  switch (kind) {
    case ARCHWAY_ACT_RELU: return fwd(x, y, n, stream, [] __device__(float v) { return archway::relu_fwd(v); });
    case ARCHWAY_ACT_SIGMOID: return fwd(x, y, n, stream, [] __device__(float v) { return archway::sigmoid_fwd(v); });
    case ARCHWAY_ACT_HSWISH: return fwd(x, y, n, stream, [] __device__(float v) { return archway::hswish_fwd(v); });
    case ARCHWAY_ACT_HSIGMOID: return fwd(x, y, n, stream, [] __device__(float v) { return archway::hsigmoid_fwd(v); });
    default: return ARCHWAY_EINVAL;
  }
}

int32_t archway_cuda_act_bwd(int32_t kind, const float* x, const float* dy, float* dx, int64_t n, int32_t accumulate,
                             void* stream) {
  if (n < 0 || (n > 0 && (x == nullptr || dy == nullptr || dx == nullptr))) return ARCHWAY_EINVAL;
  switch (kind) {
    case ARCHWAY_ACT_RELU:
      return bwd(kind, x, dy, dx, n, accumulate, stream, [] __device__(float v) { return archway::relu_grad(v); });
    case ARCHWAY_ACT_SIGMOID:
      return bwd(kind, x, dy, dx, n, accumulate, stream, [] __device__(float v) { return archway::sigmoid_grad(v); });
    case ARCHWAY_ACT_HSWISH:
      return bwd(kind, x, dy, dx, n, accumulate, stream, [] __device__(float v) { return archway::hswish_grad(v); });
    case ARCHWAY_ACT_HSIGMOID:
      return bwd(kind, x, dy, dx, n, accumulate, stream, [] __device__(float v) { return archway::hsigmoid_grad(v); });
    default: return ARCHWAY_EINVAL;
  }
}

}  // extern "C"
