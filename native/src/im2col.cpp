// im2col / col2im one row at a time: the conv GEMM path writes each row straight into a packed
// GEMM panel (forward, weight gradient) or scatters a GEMM result row back (data gradient).
#include <algorithm>
#include <cstring>

#include "archway/math/conv2d.h"
#include "conv2d_internal.h"

namespace archway::conv {

void im2col_row(const archway_conv2d_desc& d, const float* xc, int ty, int tx, int64_t j0, int64_t j1, float* out) {
  int32_t lo, hi;
  conv_valid_outputs(d.w, d.ow, tx, d.stride_w, d.pad_w, d.dil_w, &lo, &hi);
  const int32_t offx = tx * d.dil_w - d.pad_w;
  int64_t j = j0;
  while (j < j1) {
    const int32_t oy = (int32_t)(j / d.ow);
    const int32_t ox0 = (int32_t)(j - (int64_t)oy * d.ow);
    const int32_t ox1 = (int32_t)std::min<int64_t>(d.ow, ox0 + (j1 - j));
    float* o = out + (j - j0);  // o[ox - ox0] is the value for (oy, ox)
    const int32_t iy = conv_in_coord(oy, ty, d.stride_h, d.pad_h, d.dil_h);
    if (iy < 0 || iy >= d.h) {
      std::memset(o, 0, sizeof(float) * (ox1 - ox0));
    } else {
      const float* xr = xc + (int64_t)iy * d.w;  // the tap reads xr[ox * stride + offx]
      const int32_t a = std::clamp(lo, ox0, ox1), b = std::clamp(hi, a, ox1);
      for (int32_t ox = ox0; ox < a; ++ox) o[ox - ox0] = 0.0f;
      if (d.stride_w == 1) {
        copy_floats(o + (a - ox0), xr + (a + offx), b - a);
      } else {
        const int32_t s = d.stride_w;
        for (int32_t ox = a; ox < b; ++ox) o[ox - ox0] = xr[(int64_t)ox * s + offx];
      }
      for (int32_t ox = b; ox < ox1; ++ox) o[ox - ox0] = 0.0f;
    }
    j += ox1 - ox0;
  }
}

void col2im_row(const archway_conv2d_desc& d, float* dxc, int ty, int tx, int64_t j0, int64_t j1, const float* in) {
  int32_t lo, hi;
  conv_valid_outputs(d.w, d.ow, tx, d.stride_w, d.pad_w, d.dil_w, &lo, &hi);
  const int32_t offx = tx * d.dil_w - d.pad_w;
  int64_t j = j0;
  while (j < j1) {
    const int32_t oy = (int32_t)(j / d.ow);
    const int32_t ox0 = (int32_t)(j - (int64_t)oy * d.ow);
    const int32_t ox1 = (int32_t)std::min<int64_t>(d.ow, ox0 + (j1 - j));
    const float* g = in + (j - j0);  // g[ox - ox0] is the gradient for (oy, ox)
    const int32_t iy = conv_in_coord(oy, ty, d.stride_h, d.pad_h, d.dil_h);
    if (iy >= 0 && iy < d.h) {
      float* xr = dxc + (int64_t)iy * d.w;
      const int32_t a = std::clamp(lo, ox0, ox1), b = std::clamp(hi, a, ox1);
      if (d.stride_w == 1) {
        float* dst = xr + (a + offx);
        const float* src = g + (a - ox0);
        for (int32_t i = 0; i < b - a; ++i) dst[i] += src[i];
      } else {
        const int32_t s = d.stride_w;
        for (int32_t ox = a; ox < b; ++ox) xr[(int64_t)ox * s + offx] += g[ox - ox0];
      }
    }
    j += ox1 - ox0;
  }
}

}  // namespace archway::conv
