// Flat elementwise arithmetic over n floats and the deterministic double reductions sumsq / dot.
#include "archway.h"
#include "archway/math/elementwise.h"
#include "reduce.h"

using archway::kParallelMin;

extern "C" {

int32_t archway_cpu_fill(float* y, int64_t n, float value) {
  if (n < 0 || (n > 0 && y == nullptr)) return ARCHWAY_EINVAL;
#pragma omp parallel for schedule(static) if (n >= kParallelMin)
  for (int64_t i = 0; i < n; ++i) y[i] = value;
  return ARCHWAY_OK;
}

int32_t archway_cpu_copy(const float* x, float* y, int64_t n) {
  if (n < 0 || (n > 0 && (x == nullptr || y == nullptr))) return ARCHWAY_EINVAL;
#pragma omp parallel for schedule(static) if (n >= kParallelMin)
  for (int64_t i = 0; i < n; ++i) y[i] = x[i];
  return ARCHWAY_OK;
}

int32_t archway_cpu_add(const float* a, const float* b, float* y, int64_t n) {
  if (n < 0 || (n > 0 && (a == nullptr || b == nullptr || y == nullptr))) return ARCHWAY_EINVAL;
#pragma omp parallel for schedule(static) if (n >= kParallelMin)
  for (int64_t i = 0; i < n; ++i) y[i] = archway::add_at(a[i], b[i]);
  return ARCHWAY_OK;
}

int32_t archway_cpu_add3(const float* a, const float* b, const float* c, float* y, int64_t n) {
  if (n < 0 || (n > 0 && (a == nullptr || b == nullptr || c == nullptr || y == nullptr))) return ARCHWAY_EINVAL;
#pragma omp parallel for schedule(static) if (n >= kParallelMin)
  for (int64_t i = 0; i < n; ++i) y[i] = archway::add_at(archway::add_at(a[i], b[i]), c[i]);
  return ARCHWAY_OK;
}

int32_t archway_cpu_axpy(float alpha, const float* x, float* y, int64_t n) {
  if (n < 0 || (n > 0 && (x == nullptr || y == nullptr))) return ARCHWAY_EINVAL;
#pragma omp parallel for schedule(static) if (n >= kParallelMin)
  for (int64_t i = 0; i < n; ++i) y[i] = archway::axpy_at(alpha, x[i], y[i]);
  return ARCHWAY_OK;
}

int32_t archway_cpu_axpby(float alpha, const float* x, float beta, float* y, int64_t n) {
  if (n < 0 || (n > 0 && (x == nullptr || y == nullptr))) return ARCHWAY_EINVAL;
#pragma omp parallel for schedule(static) if (n >= kParallelMin)
  for (int64_t i = 0; i < n; ++i) y[i] = archway::axpby_at(alpha, x[i], beta, y[i]);
  return ARCHWAY_OK;
}

int32_t archway_cpu_scale(float* y, int64_t n, float alpha) {
  if (n < 0 || (n > 0 && y == nullptr)) return ARCHWAY_EINVAL;
#pragma omp parallel for schedule(static) if (n >= kParallelMin)
  for (int64_t i = 0; i < n; ++i) y[i] = archway::scale_at(alpha, y[i]);
  return ARCHWAY_OK;
}

int32_t archway_cpu_weight_noise_eps(const float* w, const float* eps, float* y, int64_t n, float sigma) {
  if (n < 0 || (n > 0 && (w == nullptr || eps == nullptr || y == nullptr))) return ARCHWAY_EINVAL;
#pragma omp parallel for schedule(static) if (n >= kParallelMin)
  for (int64_t i = 0; i < n; ++i) y[i] = archway::weight_noise_eps_at(w[i], eps[i], sigma);
  return ARCHWAY_OK;
}

int32_t archway_cpu_asam_direction(const float* w, const float* g, float* y, int64_t n, float eta) {
  if (n < 0 || (n > 0 && (w == nullptr || g == nullptr || y == nullptr))) return ARCHWAY_EINVAL;
#pragma omp parallel for schedule(static) if (n >= kParallelMin)
  for (int64_t i = 0; i < n; ++i) y[i] = archway::asam_direction_at(w[i], g[i], eta);
  return ARCHWAY_OK;
}

int32_t archway_cpu_sumsq(const float* x, int64_t n, double* out) {
  if (n < 0 || out == nullptr || (n > 0 && x == nullptr)) return ARCHWAY_EINVAL;
  *out = archway::det_sum(n, [x](int64_t i) { return (double)x[i] * (double)x[i]; });
  return ARCHWAY_OK;
}

int32_t archway_cpu_dot(const float* a, const float* b, int64_t n, double* out) {
  if (n < 0 || out == nullptr || (n > 0 && (a == nullptr || b == nullptr))) return ARCHWAY_EINVAL;
  *out = archway::det_sum(n, [a, b](int64_t i) { return (double)a[i] * (double)b[i]; });
  return ARCHWAY_OK;
}

}  // extern "C"
