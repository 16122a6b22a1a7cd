// Kernels of the ZO-DARTS++ size-variable network: the centre crop of a shared convolution weight and
// the per-channel bias (today's graph ops compose them from channel_copy / channel_scale; these are the
// one-call forms a GPU backend needs, with the same results).
#include <string.h>
#include "archway.h"
#include "archway/math/channel.h"
#include "reduce.h"
#include "two_pass.h"

extern "C" {

int32_t archway_cpu_center_crop(const float* src, float* dst, int32_t planes, int32_t big, int32_t k, int32_t bwd,
                                int32_t accumulate) {
  if (src == nullptr || dst == nullptr || planes < 1 || k < 1 || big < k || (big - k) % 2 != 0) return ARCHWAY_EINVAL;
  const int64_t full = (int64_t)big * big, crop = (int64_t)k * k;
#pragma omp parallel for schedule(static) if (planes * full >= archway::kParallelMin)
  for (int64_t p = 0; p < planes; ++p) {
    if (!bwd) {
      // dst[p, k, k] (+)= centre of src[p, big, big].
      const float* s = src + p * full;
      float* d = dst + p * crop;
      for (int32_t i = 0; i < k; ++i)
        for (int32_t j = 0; j < k; ++j)
          d[i * k + j] = archway::store_at(d[i * k + j], s[archway::crop_source(i, j, big, k)], accumulate);
    } else {
      // src is dcrop[p, k, k], dst is dfull[p, big, big]: centre (+)= dcrop, the rest zero or untouched.
      const float* s = src + p * crop;
      float* d = dst + p * full;
      if (!accumulate) memset(d, 0, sizeof(float) * full);
      for (int32_t i = 0; i < k; ++i)
        for (int32_t j = 0; j < k; ++j) {
          float* t = d + archway::crop_source(i, j, big, k);
          *t = archway::store_at(*t, s[i * k + j], 1);
        }
    }
  }
  return ARCHWAY_OK;
}

int32_t archway_cpu_channel_bias_fwd(const float* x, const float* b, float* y, int32_t n, int32_t c, int32_t hw) {
  if (x == nullptr || b == nullptr || y == nullptr || n < 1 || c < 1 || hw < 1) return ARCHWAY_EINVAL;
  const int64_t planes = (int64_t)n * c;
#pragma omp parallel for schedule(static) if (planes * hw >= archway::kParallelMin)
  for (int64_t p = 0; p < planes; ++p) {
    const float bp = b[p % c];
    const float* xp = x + p * hw;
    float* yp = y + p * hw;
    for (int32_t i = 0; i < hw; ++i) yp[i] = archway::bias_at(xp[i], bp);
  }
  return ARCHWAY_OK;
}

int32_t archway_cpu_channel_bias_bwd(const float* dy, float* db, int32_t n, int32_t c, int32_t hw, int32_t accumulate) {
  if (dy == nullptr || db == nullptr || n < 1 || c < 1 || hw < 1) return ARCHWAY_EINVAL;
  const int64_t m = (int64_t)n * hw;
  // One tile per channel, summed as one CUDA block sums it (archway/math/reduce.h).
#pragma omp parallel for schedule(static) if ((int64_t)c * m >= archway::kParallelMin)
  for (int32_t ch = 0; ch < c; ++ch) {
    const float g = (float)archway::reduce_tile(archway::BiasGradTerm{dy, c, hw, ch}, 0, m);
    db[ch] = accumulate ? db[ch] + g : g;
  }
  return ARCHWAY_OK;
}

}  // extern "C"
