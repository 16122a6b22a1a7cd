// Squeeze-excite channel scaling: y[n, c, hw] = x * s[n, c], and its backward.
#include "archway.h"
#include "reduce.h"

extern "C" {

int32_t archway_cpu_channel_scale_fwd(const float* x, const float* s, float* y, int32_t n, int32_t c, int32_t hw) {
  if (n < 1 || c < 1 || hw < 1 || x == nullptr || s == nullptr || y == nullptr) return ARCHWAY_EINVAL;
  const int64_t planes = (int64_t)n * c;
#pragma omp parallel for schedule(static) if (planes * hw >= archway::kParallelMin)
  for (int64_t p = 0; p < planes; ++p) {
    const float sp = s[p];
    const float* xp = x + p * hw;
    float* yp = y + p * hw;
    for (int32_t i = 0; i < hw; ++i) yp[i] = xp[i] * sp;
  }
  return ARCHWAY_OK;
}

int32_t archway_cpu_channel_scale_bwd(const float* x, const float* s, const float* dy, float* dx, float* ds,
                                      int32_t n, int32_t c, int32_t hw, int32_t accumulate) {
  if (n < 1 || c < 1 || hw < 1 || dy == nullptr) return ARCHWAY_EINVAL;
  if ((dx != nullptr && s == nullptr) || (ds != nullptr && x == nullptr)) return ARCHWAY_EINVAL;
  const int64_t planes = (int64_t)n * c;
#pragma omp parallel for schedule(static) if (planes * hw >= archway::kParallelMin)
  for (int64_t p = 0; p < planes; ++p) {
    const float* dyp = dy + p * hw;
    if (dx != nullptr) {
      const float sp = s[p];
      float* dxp = dx + p * hw;
      if (accumulate)
        for (int32_t i = 0; i < hw; ++i) dxp[i] += dyp[i] * sp;
      else
        for (int32_t i = 0; i < hw; ++i) dxp[i] = dyp[i] * sp;
    }
    if (ds != nullptr) {
      const float* xp = x + p * hw;
      const float g = (float)archway::lane_sum(hw, [&](int64_t i) { return (double)dyp[i] * (double)xp[i]; });
      ds[p] = accumulate ? ds[p] + g : g;
    }
  }
  return ARCHWAY_OK;
}

}  // extern "C"
