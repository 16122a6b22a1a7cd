// In-place optimiser steps over flat parameter spans (one call updates every parameter of a plan).
#include <math.h>
#include "archway.h"
#include "archway/math/optim.h"
#include "reduce.h"

extern "C" {

int32_t archway_cpu_sgd_step(float* w, const float* g, float* momentum_buf, int64_t n, float lr, float momentum,
                             float weight_decay, int32_t nesterov) {
  if (n < 0 || (n > 0 && (w == nullptr || g == nullptr))) return ARCHWAY_EINVAL;
  if (momentum < 0.0f || (momentum != 0.0f && n > 0 && momentum_buf == nullptr)) return ARCHWAY_EINVAL;
  if (nesterov && momentum == 0.0f) return ARCHWAY_EINVAL;  // as in PyTorch: nesterov needs momentum
  float* buf = momentum != 0.0f ? momentum_buf : nullptr;
  if (buf != nullptr) {
#pragma omp parallel for schedule(static) if (n >= archway::kParallelMin)
    for (int64_t i = 0; i < n; ++i) archway::sgd_update(w + i, g[i], buf + i, lr, momentum, weight_decay, nesterov);
  } else {
#pragma omp parallel for schedule(static) if (n >= archway::kParallelMin)
    for (int64_t i = 0; i < n; ++i) archway::sgd_update(w + i, g[i], nullptr, lr, 0.0f, weight_decay, 0);
  }
  return ARCHWAY_OK;
}

int32_t archway_cpu_adam_step(float* w, const float* g, float* m, float* v, int64_t n, float lr, float beta1,
                              float beta2, float eps, float weight_decay, int32_t t, int32_t decoupled) {
  if (n < 0 || (n > 0 && (w == nullptr || g == nullptr || m == nullptr || v == nullptr))) return ARCHWAY_EINVAL;
  if (t < 1 || !(beta1 >= 0.0f && beta1 < 1.0f) || !(beta2 >= 0.0f && beta2 < 1.0f) || !(eps >= 0.0f))
    return ARCHWAY_EINVAL;
  float step_size, inv_bc2_sqrt;
  archway::adam_constants(lr, beta1, beta2, t, &step_size, &inv_bc2_sqrt);
#pragma omp parallel for schedule(static) if (n >= archway::kParallelMin)
  for (int64_t i = 0; i < n; ++i)
    archway::adam_update(w + i, g[i], m + i, v + i, lr, beta1, beta2, eps, weight_decay, decoupled, step_size,
                         inv_bc2_sqrt);
  return ARCHWAY_OK;
}

}  // extern "C"
