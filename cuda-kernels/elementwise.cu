// Flat elementwise kernels and perturbations, one thread per element through archway/math/elementwise.h.
#include "archway/math/elementwise.h"
#include "launch.cuh"

using archway_cuda::for_each;

extern "C" {

int32_t archway_cuda_fill(float* y, int64_t n, float value, void* stream) {
  if (n < 0 || (n > 0 && y == nullptr)) return ARCHWAY_EINVAL;
  return for_each(n, stream, [=] __device__(int64_t i) { y[i] = value; });
}

int32_t archway_cuda_copy(const float* x, float* y, int64_t n, void* stream) {
  if (n < 0 || (n > 0 && (x == nullptr || y == nullptr))) return ARCHWAY_EINVAL;
  return for_each(n, stream, [=] __device__(int64_t i) { y[i] = x[i]; });
}

int32_t archway_cuda_add(const float* a, const float* b, float* y, int64_t n, void* stream) {
  if (n < 0 || (n > 0 && (a == nullptr || b == nullptr || y == nullptr))) return ARCHWAY_EINVAL;
  return for_each(n, stream, [=] __device__(int64_t i) { y[i] = archway::add_at(a[i], b[i]); });
}

int32_t archway_cuda_axpy(float alpha, const float* x, float* y, int64_t n, void* stream) {
  if (n < 0 || (n > 0 && (x == nullptr || y == nullptr))) return ARCHWAY_EINVAL;
  return for_each(n, stream, [=] __device__(int64_t i) { y[i] = archway::axpy_at(alpha, x[i], y[i]); });
}

int32_t archway_cuda_axpby(float alpha, const float* x, float beta, float* y, int64_t n, void* stream) {
  if (n < 0 || (n > 0 && (x == nullptr || y == nullptr))) return ARCHWAY_EINVAL;
  return for_each(n, stream, [=] __device__(int64_t i) { y[i] = archway::axpby_at(alpha, x[i], beta, y[i]); });
}

int32_t archway_cuda_scale(float* y, int64_t n, float alpha, void* stream) {
  if (n < 0 || (n > 0 && y == nullptr)) return ARCHWAY_EINVAL;
  return for_each(n, stream, [=] __device__(int64_t i) { y[i] = archway::scale_at(alpha, y[i]); });
}

int32_t archway_cuda_weight_noise(const float* w, float* out, int64_t n, float sigma, uint64_t seed, uint32_t purpose,
                                  uint32_t step, void* stream) {
  if (n < 0 || (n > 0 && (w == nullptr || out == nullptr))) return ARCHWAY_EINVAL;
  return for_each(n, stream, [=] __device__(int64_t i) {
    out[i] = archway::weight_noise_at(w[i], sigma, seed, purpose, step, i);
  });
}

int32_t archway_cuda_weight_noise_eps(const float* w, const float* eps, float* y, int64_t n, float sigma, void* stream) {
  if (n < 0 || (n > 0 && (w == nullptr || eps == nullptr || y == nullptr))) return ARCHWAY_EINVAL;
  return for_each(n, stream, [=] __device__(int64_t i) { y[i] = archway::weight_noise_eps_at(w[i], eps[i], sigma); });
}

int32_t archway_cuda_asam_direction(const float* w, const float* g, float* y, int64_t n, float eta, void* stream) {
  if (n < 0 || (n > 0 && (w == nullptr || g == nullptr || y == nullptr))) return ARCHWAY_EINVAL;
  return for_each(n, stream, [=] __device__(int64_t i) { y[i] = archway::asam_direction_at(w[i], g[i], eta); });
}

int32_t archway_cuda_zo_perturb(const float* theta, const float* z, float mu, float* plus, float* minus, int64_t n,
                                void* stream) {
  if (n < 0 || (n > 0 && (theta == nullptr || z == nullptr || plus == nullptr))) return ARCHWAY_EINVAL;
  return for_each(n, stream, [=] __device__(int64_t i) {
    const float t = theta[i], zi = z[i];
    plus[i] = archway::zo_perturb_at(t, zi, mu, 1.0f);
    if (minus != nullptr) minus[i] = archway::zo_perturb_at(t, zi, mu, -1.0f);
  });
}

}  // extern "C"
