// Fused optimiser steps over flat spans, one thread per parameter through archway/math/optim.h.
#include "archway/math/optim.h"
#include "launch.cuh"

using archway_cuda::for_each;

extern "C" {

int32_t archway_cuda_sgd_step(float* w, const float* g, float* momentum_buf, int64_t n, float lr, float momentum,
                              float weight_decay, int32_t nesterov, void* stream) {
  if (n < 0 || (n > 0 && (w == nullptr || g == nullptr))) return ARCHWAY_EINVAL;
  if (momentum < 0.0f || (momentum != 0.0f && n > 0 && momentum_buf == nullptr)) return ARCHWAY_EINVAL;
  if (nesterov && momentum == 0.0f) return ARCHWAY_EINVAL;
  if (momentum != 0.0f)
    return for_each(n, stream, [=] __device__(int64_t i) {
      archway::sgd_update(w + i, g[i], momentum_buf + i, lr, momentum, weight_decay, nesterov);
    });
  return for_each(n, stream, [=] __device__(int64_t i) {
    archway::sgd_update(w + i, g[i], nullptr, lr, 0.0f, weight_decay, 0);
  });
}

int32_t archway_cuda_adam_step(float* w, const float* g, float* m, float* v, int64_t n, float lr, float beta1,
                               float beta2, float eps, float weight_decay, int32_t t, int32_t decoupled, void* stream) {
  if (n < 0 || (n > 0 && (w == nullptr || g == nullptr || m == nullptr || v == nullptr))) return ARCHWAY_EINVAL;
  if (t < 1 || !(beta1 >= 0.0f && beta1 < 1.0f) || !(beta2 >= 0.0f && beta2 < 1.0f) || !(eps >= 0.0f))
    return ARCHWAY_EINVAL;
  float step_size, inv_bc2_sqrt;  // per-step constants on the host, exactly as the CPU kernel makes them
  archway::adam_constants(lr, beta1, beta2, t, &step_size, &inv_bc2_sqrt);
  return for_each(n, stream, [=] __device__(int64_t i) {
    archway::adam_update(w + i, g[i], m + i, v + i, lr, beta1, beta2, eps, weight_decay, decoupled, step_size,
                         inv_bc2_sqrt);
  });
}

}  // extern "C"
