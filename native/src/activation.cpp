// Elementwise activations (relu, sigmoid, hswish, hsigmoid); math in archway/math/activation.h.
#include "archway.h"
#include "archway/math/activation.h"
#include "reduce.h"

namespace {

// One loop per (activation, accumulate) so each instantiation vectorises without a switch inside.
template <class F>
void map_fwd(const float* x, float* y, int64_t n, F f) {
#pragma omp parallel for schedule(static) if (n >= archway::kParallelMin)
  for (int64_t i = 0; i < n; ++i) y[i] = f(x[i]);
}

template <class G>
void map_bwd(const float* x, const float* dy, float* dx, int64_t n, int32_t accumulate, G g) {
  if (accumulate) {
#pragma omp parallel for schedule(static) if (n >= archway::kParallelMin)
    for (int64_t i = 0; i < n; ++i) dx[i] += dy[i] * g(x[i]);
  } else {
#pragma omp parallel for schedule(static) if (n >= archway::kParallelMin)
    for (int64_t i = 0; i < n; ++i) dx[i] = dy[i] * g(x[i]);
  }
}

// ReLU's backward on its own: written as map_bwd's one expression, GCC folds dy * relu_grad(x) into
// "x > 0 ? dy : dy * 0" and, since that multiply may not be executed speculatively, the avx2 and baseline
// builds kept a scalar loop with a branch per value (2.5-3x slower than the avx512 build's masked
// vectors). Naming the factor first lets every build vectorise it. The values are the same: dy * 0 or
// dy * 1 is exact, so the product, with or without FMA contraction of the accumulation, is bit for bit the
// one before. (The other activations keep map_bwd: a named factor changed hswish's contraction.)
void relu_bwd(const float* x, const float* dy, float* dx, int64_t n, int32_t accumulate) {
  if (accumulate) {
#pragma omp parallel for schedule(static) if (n >= archway::kParallelMin)
    for (int64_t i = 0; i < n; ++i) {
      const float factor = archway::relu_grad(x[i]);
      dx[i] += dy[i] * factor;
    }
  } else {
#pragma omp parallel for schedule(static) if (n >= archway::kParallelMin)
    for (int64_t i = 0; i < n; ++i) {
      const float factor = archway::relu_grad(x[i]);
      dx[i] = dy[i] * factor;
    }
  }
}

}  // namespace

extern "C" {

int32_t archway_cpu_act_fwd(int32_t kind, const float* x, float* y, int64_t n) {
  if (n < 0 || (n > 0 && (x == nullptr || y == nullptr))) return ARCHWAY_EINVAL;
  switch (kind) {
    case ARCHWAY_ACT_RELU: map_fwd(x, y, n, [](float v) { return archway::relu_fwd(v); }); break;
    case ARCHWAY_ACT_SIGMOID: map_fwd(x, y, n, [](float v) { return archway::sigmoid_fwd(v); }); break;
    case ARCHWAY_ACT_HSWISH: map_fwd(x, y, n, [](float v) { return archway::hswish_fwd(v); }); break;
    case ARCHWAY_ACT_HSIGMOID: map_fwd(x, y, n, [](float v) { return archway::hsigmoid_fwd(v); }); break;
    default: return ARCHWAY_EINVAL;
  }
  return ARCHWAY_OK;
}

int32_t archway_cpu_act_bwd(int32_t kind, const float* x, const float* dy, float* dx, int64_t n, int32_t accumulate) {
  if (n < 0 || (n > 0 && (x == nullptr || dy == nullptr || dx == nullptr))) return ARCHWAY_EINVAL;
  switch (kind) {
    case ARCHWAY_ACT_RELU: relu_bwd(x, dy, dx, n, accumulate); break;
    case ARCHWAY_ACT_SIGMOID: map_bwd(x, dy, dx, n, accumulate, [](float v) { return archway::sigmoid_grad(v); }); break;
    case ARCHWAY_ACT_HSWISH: map_bwd(x, dy, dx, n, accumulate, [](float v) { return archway::hswish_grad(v); }); break;
    case ARCHWAY_ACT_HSIGMOID: map_bwd(x, dy, dx, n, accumulate, [](float v) { return archway::hsigmoid_grad(v); }); break;
    default: return ARCHWAY_EINVAL;
  }
  return ARCHWAY_OK;
}

}  // extern "C"
