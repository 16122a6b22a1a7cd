// Channel plumbing: channel-range copy (concat / slice and their backwards), channel shuffle and the
// spatial window shift of factorized reduce. Pure data movement, parallel over (n, channel) planes.
#include <string.h>
#include "archway.h"
#include "archway/math/channel.h"
#include "reduce.h"

namespace {

inline void move_plane(const float* s, float* d, int64_t len, int32_t accumulate) {
  if (accumulate)
    for (int64_t i = 0; i < len; ++i) d[i] += s[i];
  else
    memcpy(d, s, sizeof(float) * len);
}

}  // namespace

extern "C" {

int32_t archway_cpu_channel_copy(const float* src, float* dst, int32_t n, int32_t src_c, int32_t src_c0,
                                 int32_t dst_c, int32_t dst_c0, int32_t count, int32_t hw, int32_t accumulate) {
  if (src == nullptr || dst == nullptr || n < 1 || hw < 1 || count < 0 || src_c0 < 0 || dst_c0 < 0 ||
      (int64_t)src_c0 + count > src_c || (int64_t)dst_c0 + count > dst_c)
    return ARCHWAY_EINVAL;
  const int64_t planes = (int64_t)n * count;
#pragma omp parallel for schedule(static) if (planes * hw >= archway::kParallelMin)
  for (int64_t p = 0; p < planes; ++p) {
    const int64_t b = p / count, ch = p % count;
    move_plane(src + (b * src_c + src_c0 + ch) * hw, dst + (b * dst_c + dst_c0 + ch) * hw, hw, accumulate);
  }
  return ARCHWAY_OK;
}

int32_t archway_cpu_channel_shuffle(const float* x, float* y, int32_t n, int32_t c, int32_t hw, int32_t groups,
                                    int32_t inverse, int32_t accumulate) {
  if (x == nullptr || y == nullptr || n < 1 || c < 1 || hw < 1 || groups < 1 || c % groups != 0) return ARCHWAY_EINVAL;
  const int64_t planes = (int64_t)n * c;
#pragma omp parallel for schedule(static) if (planes * hw >= archway::kParallelMin)
  for (int64_t p = 0; p < planes; ++p) {
    const int64_t b = p / c;
    const int32_t oc = (int32_t)(p % c);
    const int32_t ic = archway::shuffle_source(oc, c, groups, inverse);
    move_plane(x + (b * c + ic) * hw, y + p * hw, hw, accumulate);
  }
  return ARCHWAY_OK;
}

int32_t archway_cpu_spatial_shift(const float* x, float* y, int32_t n, int32_t c, int32_t h, int32_t w,
                                  int32_t oh, int32_t ow, int32_t off_h, int32_t off_w, int32_t bwd,
                                  int32_t accumulate) {
  if (x == nullptr || y == nullptr || n < 1 || c < 1 || h < 1 || w < 1 || oh < 1 || ow < 1) return ARCHWAY_EINVAL;
  const int64_t planes = (int64_t)n * c, in_sz = (int64_t)h * w, out_sz = (int64_t)oh * ow;
  // Output rows/cols whose source lies inside x: r + off_h in [0, h), col + off_w in [0, w).
  const int64_t r0 = off_h < 0 ? -(int64_t)off_h : 0, r1 = (int64_t)h - off_h < oh ? (int64_t)h - off_h : oh;
  const int64_t c0 = off_w < 0 ? -(int64_t)off_w : 0, c1 = (int64_t)w - off_w < ow ? (int64_t)w - off_w : ow;
#pragma omp parallel for schedule(static) if (planes * (in_sz > out_sz ? in_sz : out_sz) >= archway::kParallelMin)
  for (int64_t p = 0; p < planes; ++p) {
    if (!bwd) {
      // y[p, oh, ow] from x[p, h, w]; cells reading outside x are zero (or untouched when adding).
      const float* xp = x + p * in_sz;
      float* yp = y + p * out_sz;
      if (!accumulate) memset(yp, 0, sizeof(float) * out_sz);
      for (int64_t r = r0; r < r1; ++r)
        for (int64_t q = c0; q < c1; ++q) {
          const float v = xp[(r + off_h) * w + (q + off_w)];
          if (accumulate) yp[r * ow + q] += v; else yp[r * ow + q] = v;
        }
    } else {
      // x is dy[p, oh, ow], y is dx[p, h, w]: the adjoint scatter (the map is injective, no races).
      const float* dyp = x + p * out_sz;
      float* dxp = y + p * in_sz;
      if (!accumulate) memset(dxp, 0, sizeof(float) * in_sz);
      for (int64_t r = r0; r < r1; ++r)
        for (int64_t q = c0; q < c1; ++q) dxp[(r + off_h) * w + (q + off_w)] += dyp[r * ow + q];
    }
  }
  return ARCHWAY_OK;
}

}  // extern "C"
